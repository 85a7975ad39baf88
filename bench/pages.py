"""The pages people wait on: their SQL statements, time and size, in-process (run by hand).

    .venv/bin/python bench/pages.py INSTANCE_FOLDER [--repeat 3]

Logs in as the demo admin (the instance must have been made by ``seed_two_years.py``,
which sets its password) and requests every page of :func:`pages` through Flask's test
client, counting the SQL statements each one sends. The table is printed and appended
to bench/results/pages.md. Times here leave out the server and the network (see
bench/checkins.py for gunicorn); ``tests/test_statement_counts.py`` asserts with the same
list that no page's count grows with the data.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "pages.md"
sys.path.insert(0, str(ROOT))

from seed_two_years import BENCH_PASSWORD  # noqa: E402


def pages(year: int) -> list[tuple[str, str]]:
    """(name, URL) of the pages the budgets name, staff and kiosk alike."""
    return [
        ("yearly report", f"/reports/year/{year}"),
        ("reports for a year", "/reports/?period=year"),
        ("report CSV for a year", "/reports/export.csv?period=year"),
        ("staff start page", "/"),
        ("staff queue", "/queue/"),
        ("month calendar", "/offers/?view=month"),
        ("week calendar", "/offers/"),
        ("offers list", "/offers/list"),
        ("programme", "/programme"),
        ("programme, month", "/programme?view=month"),
        ("people search", "/people/?q=a"),
        ("kiosk start", "/kiosk/"),
        ("today's offers", "/kiosk/offers"),
        ("today's offers, list", "/kiosk/offers/list"),
        ("board", "/kiosk/board"),
        ("board calls", "/kiosk/board/calls"),
    ]


@dataclass
class Measured:
    name: str
    url: str
    status: int
    statements: int
    milliseconds: float
    size: int


@contextmanager
def counting(engine: Any) -> Iterator[list[str]]:
    """Collect the SQL statements sent on ``engine`` while the block runs."""
    from sqlalchemy import event

    sent: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        sent.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", record)


def staff_client(app: Any, password: str = BENCH_PASSWORD) -> Any:
    from intranet.testing import login

    client = app.test_client()
    response = login(client, "admin", password)
    if response.status_code != 302:
        raise RuntimeError("the admin login failed: is this a bench instance?")
    return client


def measure(app: Any, client: Any, name: str, url: str, repeat: int = 1) -> Measured:
    """Request ``url`` ``repeat`` times after one warm-up; the median time, the last count."""
    from intranet.core.extensions import db

    client.get(url)
    times = []
    with app.app_context():
        engine = db.engine
    for _ in range(repeat):
        with counting(engine) as sent:
            began = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - began) * 1000)
    return Measured(name, url, response.status_code, len(sent), statistics.median(times),
                    len(response.get_data()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("instance", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", default="", help="measure the pages whose name has this")
    args = parser.parse_args()
    os.environ["MITTELPUNKT_INSTANCE_PATH"] = str(args.instance.resolve())
    from intranet import create_app
    from intranet.core.timeutil import local_today
    from kiosk.testing import pair

    app = create_app()
    client = staff_client(app)
    kiosk = pair(app)
    with app.app_context():
        year = local_today().year
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True, cwd=ROOT).stdout.strip()
    lines = [f"## {datetime.now(UTC):%Y-%m-%d %H:%M} UTC — {args.instance.name}, commit "
             f"{commit}, in-process, median of {args.repeat}, {os.cpu_count()} cores", "",
             "| page | status | SQL statements | ms | bytes |", "|---|---:|---:|---:|---:|"]
    print(f"{'page':28} {'status':>6} {'SQL':>5} {'ms':>8} {'bytes':>9}")
    for name, url in pages(year):
        if args.only not in name:
            continue
        who = kiosk if url.startswith("/kiosk") else client
        result = measure(app, who, name, url, args.repeat)
        print(f"{name:28} {result.status:>6} {result.statements:>5} "
              f"{result.milliseconds:>8.1f} {result.size:>9,}")
        lines.append(f"| {name} | {result.status} | {result.statements} | "
                     f"{result.milliseconds:.0f} | {result.size:,} |")
    if not args.only:
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        with RESULTS.open("a", encoding="utf-8") as handle:
            handle.write("\n".join([*lines, "", ""]))

if __name__ == "__main__":
    main()
