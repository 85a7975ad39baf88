"""Where a page may send the browser next: only to a path on this site.

One rule for every ``next=`` parameter and hidden ``next`` field, so no form can be
turned into an open redirect (``//evil.example``, ``/\\evil.example``, ``https://…``,
control characters that browsers drop).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import url_for

MAX_LENGTH = 2000


def is_local_path(target: str | None) -> bool:
    """True for a path of this site such as ``/people/P-7K3MX?tab=1``."""
    if not target or len(target) > MAX_LENGTH or not target.startswith("/"):
        return False
    if target.startswith(("//", "/\\")) or any(ord(ch) < 32 or ord(ch) == 127 for ch in target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


def safe_next(target: str | None, default: str | None = None) -> str:
    """``target`` when it is a local path, else ``default`` (the start page if none)."""
    if is_local_path(target):
        return str(target)
    return default if default is not None else url_for("main.index")
