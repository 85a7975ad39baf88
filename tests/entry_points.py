"""Install a plugin for one test through a real entry point (a ``.dist-info`` on sys.path)."""

from __future__ import annotations

from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parent / "example_plugin"


def install_entry_point(monkeypatch: pytest.MonkeyPatch, folder: Path, name: str, target: str,
                        version: str = "1.0") -> None:
    """Make ``importlib.metadata`` see a distribution with one plugin entry point."""
    dist = folder / f"mittelpunkt_test_{name}-{version}.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: mittelpunkt-test-{name}\nVersion: {version}\n")
    (dist / "entry_points.txt").write_text(f"[mittelpunkt.plugins]\n{name} = {target}\n")
    monkeypatch.syspath_prepend(str(folder))
    monkeypatch.syspath_prepend(str(EXAMPLES))
