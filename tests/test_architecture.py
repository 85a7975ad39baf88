"""Who may import whom (docs/architecture.md), checked on the source so it stays true."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
INTRANET = ROOT / "intranet"
# The plugin contract: the only parts of the core a plugin (or the kiosk) may import.
CONTRACT = {"intranet.plugin", "intranet.hookspecs", "intranet.hooktypes", "intranet.testing",
            "intranet.browser_testing"}
# Infrastructure every capability builds on; it builds on none of them.
FOUNDATION = "core"
# The top: they wire or drive the capabilities, and nothing below imports them.
TOP = {"web", "cli", "demo"}


def imports_of(path: Path) -> Iterator[tuple[int, str]]:
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.lineno, node.module
            for alias in node.names:
                yield node.lineno, f"{node.module}.{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name


def sources(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.py") if "migrations" not in p.parts)


def package_of(path: Path) -> str:
    parts = path.relative_to(INTRANET).parts
    return parts[0] if len(parts) > 1 else parts[0].removesuffix(".py")


def capability(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if parts[0] == "intranet" and len(parts) > 1 else None


def test_the_core_never_imports_a_plugin_or_the_kiosk() -> None:
    wrong = [f"{p.relative_to(ROOT)}:{line} {module}" for p in sources(INTRANET)
             for line, module in imports_of(p)
             if module.split(".")[0] in {"plugins", "kiosk"}]
    assert wrong == []


@pytest.mark.parametrize("folder", ["plugins", "kiosk"])
def test_plugins_import_only_the_contract_and_never_each_other(folder: str) -> None:
    wrong = []
    for path in sources(ROOT / folder):
        own = path.relative_to(ROOT).parts[:2] if folder == "plugins" else ("kiosk",)
        for line, module in imports_of(path):
            top = module.split(".")
            if top[0] == "intranet" and not any(module == c or module.startswith(c + ".")
                                                for c in CONTRACT):
                wrong.append(f"{path.relative_to(ROOT)}:{line} {module}")
            if top[0] in {"plugins", "kiosk"} and tuple(top[:len(own)]) != own:
                wrong.append(f"{path.relative_to(ROOT)}:{line} {module}")
    assert wrong == []


def test_the_foundation_imports_no_capability() -> None:
    wrong = [f"{p.relative_to(ROOT)}:{line} {module}"
             for p in sources(INTRANET / FOUNDATION) for line, module in imports_of(p)
             if capability(module) not in (None, FOUNDATION, "hookspecs", "hooktypes")]
    assert wrong == []


def test_nothing_below_imports_the_top_or_the_public_face() -> None:
    """Capabilities use each other's modules directly; ``intranet.plugin`` is for plugins
    only, and the wiring (web), the commands (cli) and the demo data sit on top."""
    wrong = []
    for path in sources(INTRANET):
        package = package_of(path)
        if package in TOP | {"plugin", "testing", "__init__"}:
            continue
        for line, module in imports_of(path):
            target = capability(module)
            if target == package:
                continue
            if target in TOP or module.startswith("intranet.plugin"):
                wrong.append(f"{path.relative_to(ROOT)}:{line} {module}")
    assert wrong == []
