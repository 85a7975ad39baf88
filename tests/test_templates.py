"""Templates hold no inline scripts, styles or event handlers (strict CSP on every page)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "inline <script>"),
    (re.compile(r"<style\b", re.I), "<style> block"),
    (re.compile(r"\sstyle\s*=", re.I), "style= attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "inline event handler"),
    (re.compile(r"\bhx-on", re.I), "hx-on handler (inline code)"),
    (re.compile(r"https?://(?!www\.w3\.org/2000/svg)", re.I), "link to another host"),
]


def templates() -> list[Path]:
    found = [p for folder in ("intranet", "plugins", "kiosk")
             for p in (ROOT / folder).rglob("templates/**/*.html")]
    assert len(found) >= 6
    return found


def test_no_inline_code_in_templates():
    problems = [f"{path.relative_to(ROOT)}: {label}"
                for path in templates() for pattern, label in FORBIDDEN
                if pattern.search(path.read_text(encoding="utf-8"))]
    assert problems == []


def test_the_check_would_catch_inline_code():
    samples = ['<script>alert(1)</script>', '<p style="color:red">', '<a onclick="x()">',
               '<button hx-on:click="x">', '<script src="https://cdn.example/x.js"></script>']
    for sample in samples:
        assert any(pattern.search(sample) for pattern, _ in FORBIDDEN), sample


def test_rendered_pages_carry_no_inline_code(admin_client):
    for url in ("/", "/admin/plugins", "/consultations/", "/login?lang=ar", "/no-such-page"):
        page = admin_client.get(url).get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>|\sstyle=|\son[a-z]+=", page), url
