"""Build hook (the rest of the packaging is in pyproject.toml).

The repository keeps the core's catalogs at the top level (``translations/``), outside any
package; a wheel must carry them, compiled, or an installed Mittelpunkt would speak only
English. ``build_py`` copies them into the wheel as ``intranet/catalogs/`` and compiles
every catalog it ships (the core's and the plugins'), since ``.mo`` files are never
committed.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent


class BuildWithCatalogs(build_py):
    def run(self) -> None:
        super().run()
        if self.editable_mode:  # an editable install reads translations/ in place
            return
        build = Path(self.build_lib)
        target = build / "intranet" / "catalogs"
        shutil.copytree(HERE / "translations", target, dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns("*.mo"))
        for po in build.rglob("translations/*/LC_MESSAGES/*.po"):
            _compile(po)
        for po in target.rglob("*/LC_MESSAGES/*.po"):
            _compile(po)


def _compile(po: Path) -> None:
    with po.open("rb") as source:
        catalog = read_po(source)
    with po.with_suffix(".mo").open("wb") as mo:
        write_mo(mo, catalog)


setup(cmdclass={"build_py": BuildWithCatalogs})
