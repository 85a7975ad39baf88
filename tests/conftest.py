"""How the suite shares the machine when it runs on several workers (pytest-xdist).

The fixtures come from the pytest plugins ``intranet.testing`` and ``kiosk.testing``
(entry points). Here only: the tests that need the whole machine — gunicorn under load
(marked ``load``) and Chromium with the kiosk's short timeouts (the ``browser`` fixture) —
share one xdist group, so with ``--dist loadgroup`` they run on one worker one after the
other, never at the same time as each other.
"""

from __future__ import annotations

import pytest

WHOLE_MACHINE = pytest.mark.xdist_group("whole_machine")


@pytest.hookimpl(tryfirst=True)  # before xdist reads the groups
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.get_closest_marker("load") or "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(WHOLE_MACHINE)
