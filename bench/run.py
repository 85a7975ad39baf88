"""``make bench``: the app side by side with the framework's floor, on the demo database
and on two years of a busy meeting point, against the budgets of issue 11.

    .venv/bin/python bench/run.py [--seconds 4] [--keep FOLDER]

1. Seeds both databases (``seed_two_years.py``; about 20 s).
2. Starts gunicorn as the README recommends for production (2 workers, 127.0.0.1) on
   ``bench/floor.py``'s app: the app itself plus the floor's two routes.
3. Loads each address with wrk (Lua scripts in ``bench/wrk/``) at 4 and at 32
   connections, app and floor alternating twice; times the pages staff wait on; reads
   the workers' memory; counts the bytes of a first kiosk load and a reload in Chromium.
4. Writes ``bench/results.md`` and prints every ratio to the floor and every budget as
   PASS or FAIL.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
BENCH = ROOT / "bench"
RESULTS = BENCH / "results.md"
sys.path.insert(0, str(BENCH))

from checkins import pairing_code  # noqa: E402
from http_client import Browser, free_port  # noqa: E402
from seed_two_years import BENCH_PASSWORD  # noqa: E402

CONNECTIONS = (4, 32)
WAITING_TICKETS = 40
PAGE_REPEAT = 5
# Staff pages timed one request at a time (name, address, budget in ms or None).
TIMED_PAGES: list[tuple[str, str, float | None]] = [
    ("yearly report", "/reports/year/{year}", 300),
    ("reports for a year", "/reports/?period=year", 300),
    ("report CSV for a year", "/reports/export.csv?period=year", 300),
    ("staff start page", "/", 50),
    ("month calendar", "/offers/?view=month", 50),
    ("programme", "/programme", 50),
    ("people search", "/people/?q=a", None),
]


@dataclass
class Load:
    """One wrk run's figures."""

    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    socket_errors: int
    status_errors: int
    bytes: int

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


@dataclass
class Comparison:
    """An address of the app against the floor at one number of connections."""

    name: str
    connections: int
    app: list[Load] = field(default_factory=list)
    floor: list[Load] = field(default_factory=list)
    budget: float | None = None  # least ratio of the floor's req/s
    note: str = ""

    @property
    def app_rate(self) -> float:
        return statistics.mean(load.rate for load in self.app)

    @property
    def floor_rate(self) -> float:
        return statistics.mean(load.rate for load in self.floor)

    @property
    def ratio(self) -> float:
        return self.app_rate / self.floor_rate if self.floor_rate else 0.0

    @property
    def errors(self) -> int:
        return sum(load.socket_errors + load.status_errors for load in self.app)

    @property
    def passed(self) -> bool | None:
        if self.budget is None:
            return None
        return self.ratio >= self.budget and self.errors == 0


# -- the server ----------------------------------------------------------------------


class Server:
    """gunicorn on the floor's app (the app plus the floor's routes), as in production."""

    def __init__(self, instance: Path) -> None:
        self.instance = instance
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, "MITTELPUNKT_INSTANCE_PATH": str(instance),
                    # One kiosk sends thousands of check-ins a minute here.
                    "MITTELPUNKT_KIOSK_CHECKINS_PER_MINUTE": "1000000000"}
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Server:
        self.process = subprocess.Popen(
            [str(BIN / "gunicorn"), "--workers", "2", "--bind", f"127.0.0.1:{self.port}",
             "--pythonpath", str(BENCH), "floor:create_app()"],
            env=self.env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{self.base}/healthz", timeout=2).read()
                return self
            except OSError as error:
                if self.process.poll() is not None:
                    raise RuntimeError(self.process.stderr.read().decode()[-2000:]
                                       if self.process.stderr else "gunicorn stopped") from error
                time.sleep(0.3)
        raise RuntimeError("gunicorn did not answer within 60 s")

    def __exit__(self, *exc: object) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=20)

    def worker_rss_mb(self) -> list[float]:
        """The resident memory of each worker (children of the gunicorn master)."""
        assert self.process is not None
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        sizes = []
        for pid in children.read_text().split():
            status = Path(f"/proc/{pid}/status").read_text()
            found = re.search(r"VmRSS:\s+(\d+) kB", status)
            if found:
                sizes.append(int(found.group(1)) / 1024)
        return sizes

    def python(self, code: str) -> str:
        done = subprocess.run([str(BIN / "python"), "-c", code], env=self.env, cwd=ROOT,
                              capture_output=True, text=True, check=True)
        return done.stdout.strip()


# -- load ------------------------------------------------------------------------------


def wrk(url: str, connections: int, seconds: float, script: str,
        **env: str) -> Load:
    threads = min(connections, 2)
    done = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--latency",
         "-s", str(BENCH / "wrk" / script), url],
        env={**os.environ, "BENCH_LUA_PATH": str(BENCH / "wrk"),
             "BENCH_RUN": f"{time.time_ns():x}", **env},
        capture_output=True, text=True, check=True)
    line = next(line for line in done.stdout.splitlines() if line.startswith("BENCH "))
    return Load(**json.loads(line[len("BENCH "):]))


def compare(name: str, connections: int, seconds: float,
            app: dict[str, Any] | Callable[[], dict[str, Any]],
            floor: dict[str, Any], budget: float | None, note: str = "") -> Comparison:
    """App and floor alternating twice (app, floor, app, floor). A callable ``app`` is
    asked anew before each run (a poller's current ETag)."""
    result = Comparison(name, connections, budget=budget, note=note)
    for _round in range(2):
        settings = app() if callable(app) else app
        result.app.append(wrk(connections=connections, seconds=seconds, **settings))
        result.floor.append(wrk(connections=connections, seconds=seconds, **floor))
    return result


def load_runs(server: Server, kiosk: Browser, staff: Browser, seconds: float,
              database: str) -> list[Comparison]:
    base = server.base
    floor_get = {"url": f"{base}/_floor/page", "script": "get.lua",
                 "BENCH_COOKIE": kiosk.cookie_header()}
    csrf = kiosk.csrf
    floor_post = {"url": f"{base}/_floor/number", "script": "post.lua",
                  "BENCH_COOKIE": kiosk.cookie_header(), "BENCH_CSRF": csrf,
                  "BENCH_BODY": "token=%s"}

    def get(browser: Browser, path: str) -> dict[str, Any]:
        return {"url": f"{base}{path}", "script": "get.lua",
                "BENCH_COOKIE": browser.cookie_header()}

    def poll(browser: Browser, path: str) -> Callable[[], dict[str, Any]]:
        """A poller that has the current fragment: it sends its ETag back (fetched right
        before each run, as a screen keeps the ETag of the last copy it got)."""
        def settings() -> dict[str, Any]:
            response = browser.get(path, headers={"HX-Request": "true",
                                                  "Accept-Encoding": "gzip"})
            return {**get(browser, path), "BENCH_HTMX": "1",
                    "BENCH_ETAG": response.headers.get("ETag", "")}
        return settings

    runs = []
    top_up_queue(kiosk, staff)
    scenarios = [
        ("kiosk start", get(kiosk, "/kiosk/"), 0.8, ""),
        ("today's offers", get(kiosk, "/kiosk/offers"), 0.8, ""),
        ("today's offers, polled list", poll(kiosk, "/kiosk/offers/list"), 1.0,
         "unchanged: 304"),
        ("board", get(kiosk, "/kiosk/board"), None, ""),
        ("board calls, polled", poll(kiosk, "/kiosk/board/calls"), 1.0,
         "unchanged: 304"),
        (f"staff queue, {WAITING_TICKETS} waiting, polled", poll(staff, "/queue/"),
         1.0, "unchanged: 304"),
        ("programme", get(kiosk, "/programme"), None, ""),
    ]
    for connections in CONNECTIONS:
        for name, app, budget, note in scenarios:
            runs.append(compare(name, connections, seconds, app, floor_get, budget, note))
    before = server.python(COUNT_TODAY)
    for connections in CONNECTIONS:
        body = ("csrf_token=" + csrf + "&token=%s&purpose=consultations%3Awalk_in"
                "&first_visit=no").replace("%3A", "%%3A")
        post = {"url": f"{base}/kiosk/checkin/ticket", "script": "post.lua",
                "BENCH_COOKIE": kiosk.cookie_header(), "BENCH_CSRF": csrf,
                "BENCH_HTMX": "1", "BENCH_BODY": body}
        runs.append(compare("check-in POST", connections, seconds, post, floor_post,
                            0.8 if connections == 4 else None))
    after = server.python(COUNT_TODAY)
    made, distinct = (int(n) for n in after.split()) if after else (0, 0)
    made_before = int(before.split()[0]) if before else 0
    answered = sum(load.requests - load.status_errors for run in runs
                   if run.name == "check-in POST" for load in run.app)
    for run in runs:
        if run.name == "check-in POST":
            run.note = (f"{made - made_before:,} tickets for {answered:,} answers, "
                        f"{made - distinct} duplicate numbers ({database})")
    return runs


COUNT_TODAY = (
    "from intranet import create_app\n"
    "from intranet.core.extensions import db\n"
    "from intranet.core.timeutil import local_today\n"
    "from intranet.checkins.models import CheckIn\n"
    "from sqlalchemy import func, select\n"
    "app = create_app()\n"
    "with app.app_context():\n"
    "    rows = db.session.execute(select(func.count(CheckIn.id),\n"
    "        func.count(func.distinct(CheckIn.number)))\n"
    "        .where(CheckIn.day == local_today())).one()\n"
    "    print(rows[0], rows[1])\n"
)


def top_up_queue(kiosk: Browser, staff: Browser) -> None:
    """Exactly the waiting tickets the budget names: check in until there are 40."""
    page = staff.get("/queue/", headers={"HX-Request": "true"}).text
    waiting = len(re.findall(r"status-waiting", page))
    for n in range(max(0, WAITING_TICKETS - waiting)):
        kiosk.post("/kiosk/checkin/ticket", {
            "csrf_token": kiosk.csrf, "token": f"queue-top-up-{n:04d}-{time.time_ns()}",
            "purpose": "consultations:walk_in", "first_visit": "no"},
            headers={"HX-Request": "true", "HX-Target": "flow"})


# -- pages, memory, bytes ---------------------------------------------------------------


def page_times(server: Server, staff: Browser) -> dict[str, float]:
    year = datetime.now().year
    times = {}
    for name, path, _budget in TIMED_PAGES:
        url = path.format(year=year)
        staff.get(url)  # warm-up: the worker's caches, not the database, are cold
        samples = []
        for _ in range(PAGE_REPEAT):
            began = time.perf_counter()
            response = staff.get(url)
            samples.append((time.perf_counter() - began) * 1000)
            if response.status != 200:
                raise RuntimeError(f"{url}: {response.status}")
        times[name] = statistics.median(samples)
    return times


BYTES_SCRIPT = BENCH / "kiosk_bytes.py"


def kiosk_bytes(server: Server, kiosk: Browser) -> dict[str, tuple[int, int]]:
    """(first load, reload) bytes of the kiosk start page in de and ar, in Chromium."""
    done = subprocess.run(
        [str(BIN / "python"), str(BYTES_SCRIPT), server.base, kiosk.cookie_header()],
        capture_output=True, text=True, check=True, cwd=ROOT)
    found = json.loads(done.stdout.strip().splitlines()[-1])
    return {lang: (int(pair[0]), int(pair[1])) for lang, pair in found.items()}


# -- one database ---------------------------------------------------------------------------


@dataclass
class Measured:
    database: str
    runs: list[Comparison]
    pages: dict[str, float]
    rss_mb: list[float]
    bytes: dict[str, tuple[int, int]]


def measure(database: str, instance: Path, seconds: float) -> Measured:
    with Server(instance) as server:
        code = pairing_code(server.env)
        kiosk = Browser(server.base)
        kiosk.pair(code)
        staff = Browser(server.base)
        staff.login("admin", BENCH_PASSWORD)
        pages = page_times(server, staff)
        print(f"  {database}: pages timed", flush=True)
        runs = load_runs(server, kiosk, staff, seconds, database)
        print(f"  {database}: load done", flush=True)
        rss = server.worker_rss_mb()
        sizes = kiosk_bytes(server, kiosk)
    return Measured(database, runs, pages, rss, sizes)




# -- the report -----------------------------------------------------------------------------


def verdict(passed: bool | None) -> str:
    return "" if passed is None else ("PASS" if passed else "**FAIL**")


def report(results: list[Measured], seconds: float) -> str:
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                            capture_output=True, text=True).stdout.strip()
    lines = [
        "# Benchmark results (`make bench`)",
        "",
        f"- date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; commit {commit}",
        f"- machine: {platform.machine()}, {os.cpu_count()} cores, "
        f"{_memory_gb():.0f} GiB, {platform.platform()}, Python {platform.python_version()}",
        f"- gunicorn 2 workers (sync), SQLite (WAL); wrk {seconds:g} s per run, app and floor "
        f"alternating twice; page times: median of {PAGE_REPEAT} requests after one",
        "",
        "## Load against the floor",
        "",
        "| database | address | conn. | app req/s | floor req/s | ratio | app p50 / p99 ms | "
        "errors | budget | |",
        "|---|---|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    for measured in results:
        for run in measured.runs:
            p50 = statistics.mean(load.p50_ms for load in run.app)
            p99 = max(load.p99_ms for load in run.app)
            budget = f"≥ {run.budget:g}×" if run.budget is not None else ""
            passed = run.passed
            if run.name == "check-in POST" and run.connections == 4:
                budget += ", p99 < 20 ms, 0 duplicates"
                passed = bool(passed) and p99 < 20 and " 0 duplicate" in run.note
            lines.append(
                f"| {measured.database} | {run.name} | {run.connections} | {run.app_rate:,.0f} | "
                f"{run.floor_rate:,.0f} | {run.ratio:.2f} | {p50:.1f} / {p99:.1f} | "
                f"{run.errors} | {budget} | {verdict(passed)} |")
    notes = {run.note for measured in results for run in measured.runs if run.note}
    lines += ["", *(f"- {note}" for note in sorted(notes)), "",
              "## Pages staff wait on (one request at a time, through gunicorn)", "",
              "| page | " + " | ".join(m.database for m in results) + " | budget | |",
              "|---|" + "---:|" * len(results) + "---|---|"]
    for name, _path, budget in TIMED_PAGES:
        largest = max(m.pages[name] for m in results)
        lines.append(f"| {name} | " + " | ".join(f"{m.pages[name]:.0f} ms" for m in results)
                     + f" | {f'< {budget:g} ms' if budget else ''} | "
                     + f"{verdict(largest < budget if budget else None)} |")
    lines += ["", "## Memory and bytes", "",
              "| database | worker RSS after the run | kiosk de: first / reload | "
              "kiosk ar: first / reload | |", "|---|---|---|---|---|"]
    for m in results:
        rss = ", ".join(f"{size:.0f} MB" for size in m.rss_mb)
        de, ar = m.bytes.get("de", (0, 0)), m.bytes.get("ar", (0, 0))
        ok_rss = all(size <= 120 for size in m.rss_mb)
        ok_bytes = de[0] <= 60_000 and ar[0] <= 160_000 and de[1] < 5_000 and ar[1] < 5_000
        lines.append(f"| {m.database} | {rss} (≤ 120 MB: {verdict(ok_rss)}) | "
                     f"{de[0]:,} / {de[1]:,} B | {ar[0]:,} / {ar[1]:,} B | "
                     f"≤ 60 KB (ar 160 KB) / < 5 KB: {verdict(ok_bytes)} |")
    return "\n".join(lines) + "\n"


def _memory_gb() -> float:
    found = re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text())
    return int(found.group(1)) / 1024 / 1024 if found else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=4, help="length of one wrk run")
    parser.add_argument("--keep", type=Path, help="make the databases here and keep them")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: `make bench` installs it (apt-get install wrk)")
    folder = args.keep or Path(tempfile.mkdtemp(prefix="mittelpunkt-bench-"))
    results = []
    try:
        for database, scale in (("demo", "0"), ("two years", "1.0")):
            instance = folder / database.replace(" ", "-")
            if not (instance / "mittelpunkt.sqlite3").exists():
                print(f"seeding the {database} database …", flush=True)
                subprocess.run([str(BIN / "python"), str(BENCH / "seed_two_years.py"),
                                str(instance), "--scale", scale], check=True, cwd=ROOT)
            print(f"measuring on the {database} database …", flush=True)
            results.append(measure(database, instance, args.seconds))
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)
    text = report(results, args.seconds)
    RESULTS.write_text(text, encoding="utf-8")
    print(text)
    print(f"written to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
