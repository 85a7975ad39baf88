"""Pictograms from the Tabler icon set (MIT, npm ``@tabler/icons``), drawn as inline SVG.

Inline SVG takes the text colour, needs no extra request and no font on the
kiosk. ``make assets`` copies the set's outline node data into the static
folder; it is read once per process, keeping only the drawing of each icon.
"""

from __future__ import annotations

import json
from functools import cache, lru_cache
from pathlib import Path

from markupsafe import Markup, escape

NODES_FILE = Path(__file__).resolve().parents[1] / "static" / "vendor" / "tabler-nodes-outline.json"
FALLBACK = "point"


@cache
def _drawings() -> dict[str, str]:
    if not NODES_FILE.exists():
        return {}
    raw = json.loads(NODES_FILE.read_text(encoding="utf-8"))
    return {
        name: "".join(
            f"<{tag} " + " ".join(f'{k}="{escape(v)}"' for k, v in attrs.items()) + "/>"
            for tag, attrs in nodes
        )
        for name, nodes in raw.items()
    }


def icon(name: str, label: str | None = None, size: int = 24) -> Markup:
    """An icon by Tabler name; decorative unless ``label`` gives it a text alternative."""
    return _icon(str(name), None if label is None else str(label), int(size))


# A page repeats the same few icons (a week of offers: a door and a language each).
@lru_cache(maxsize=2048)
def _icon(name: str, label: str | None, size: int) -> Markup:
    drawings = _drawings()
    body = drawings.get(name) or drawings.get(FALLBACK, "")
    a11y = f'role="img" aria-label="{escape(label)}"' if label else 'aria-hidden="true"'
    return Markup(
        f'<svg class="icon" xmlns="http://www.w3.org/2000/svg" width="{int(size)}" '
        f'height="{int(size)}" viewBox="0 0 24 24" fill="none" stroke="currentColor" '
        f'stroke-width="2" stroke-linecap="round" stroke-linejoin="round" focusable="false" '
        f"{a11y}>{body}</svg>"
    )


def exists(name: str) -> bool:
    return name in _drawings()
