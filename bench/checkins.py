"""Benchmark: kiosk check-ins and the staff queue under gunicorn, on SQLite (run by hand).

    .venv/bin/python bench/checkins.py [--checkins 400] [--threads 16]

Starts the app with gunicorn (2 workers, as `make run`) on a throwaway instance with
the demo data, pairs a kiosk, then sends check-ins from several threads and polls the
staff queue the way the start page does. Prints and appends the figures to
bench/results/checkins.md. Numbers vary from run to run: compare runs made one after
the other on the same machine (see ../shared/ENVIRONMENT.md for floor figures).
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
RESULTS = ROOT / "bench" / "results" / "checkins.md"
sys.path.insert(0, str(ROOT / "bench"))

from http_client import free_port  # noqa: E402


def flask(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([str(BIN / "flask"), "--app", "intranet", *args], env=env,
                          capture_output=True, text=True, check=True, cwd=ROOT)
    return done.stdout


def pairing_code(env: dict[str, str]) -> str:
    script = (
        "from intranet import create_app\n"
        "from intranet.core.extensions import db\n"
        "from kiosk.models import KioskDevice\n"
        "from kiosk.pairing import new_pairing_code\n"
        "app = create_app()\n"
        "with app.app_context():\n"
        "    device = KioskDevice(name='Bench')\n"
        "    db.session.add(device); db.session.flush()\n"
        "    print(new_pairing_code(device)); db.session.commit()\n"
    )
    done = subprocess.run([str(BIN / "python"), "-c", script], env=env, capture_output=True,
                          text=True, check=True, cwd=ROOT)
    return done.stdout.strip()


def opener() -> urllib.request.OpenerDirector:
    return urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))


def wait_until_up(base: str, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{base}/healthz", timeout=1)
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checkins", type=int, default=400)
    parser.add_argument("--threads", type=int, default=16)
    args = parser.parse_args()

    instance = tempfile.mkdtemp(prefix="mittelpunkt-bench-")
    password = secrets.token_urlsafe(12)
    env = {**os.environ, "MITTELPUNKT_INSTANCE_PATH": instance,
           "MITTELPUNKT_WTF_CSRF_ENABLED": "false",
           "MITTELPUNKT_KIOSK_CHECKINS_PER_MINUTE": "1000000",
           "MITTELPUNKT_NEW_PASSWORD": password}
    flask(env, "db", "upgrade")
    flask(env, "demo", "load")
    code = pairing_code(env)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([str(BIN / "gunicorn"), "--workers", "2", "--bind",
                               f"127.0.0.1:{port}", "intranet:create_app()"], env=env, cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_until_up(base)
        kiosk = opener()
        kiosk.open(f"{base}/kiosk/pair", data=urllib.parse.urlencode(
            {"code": code}).encode()).read()
        latencies: list[float] = []
        lock = threading.Lock()
        per_thread = args.checkins // args.threads

        def check_in() -> None:
            for _ in range(per_thread):
                body = urllib.parse.urlencode({
                    "token": secrets.token_urlsafe(16), "purpose": "consultations:walk_in",
                    "first_visit": "no"}).encode()
                started = time.perf_counter()
                kiosk.open(urllib.request.Request(
                    f"{base}/kiosk/checkin/ticket", data=body,
                    headers={"HX-Request": "true", "HX-Target": "flow"})).read()
                with lock:
                    latencies.append(time.perf_counter() - started)

        started = time.perf_counter()
        workers = [threading.Thread(target=check_in) for _ in range(args.threads)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        checkin_seconds = time.perf_counter() - started

        staff = opener()
        staff.open(f"{base}/login", data=urllib.parse.urlencode(
            {"username": "admin", "password": password}).encode()).read()
        queue_times = []
        for _ in range(50):
            begun = time.perf_counter()
            staff.open(f"{base}/queue/").read()
            queue_times.append(time.perf_counter() - begun)
    finally:
        server.terminate()
        server.wait(timeout=10)

    done = len(latencies)
    lines = [
        f"## {datetime.now(UTC):%Y-%m-%d %H:%M} UTC — {done} check-ins, {args.threads} threads, "
        f"gunicorn 2 workers, SQLite (WAL)",
        "",
        f"- check-ins: {done / checkin_seconds:.0f}/s; latency p50 "
        f"{statistics.median(latencies) * 1000:.0f} ms, p99 "
        f"{percentile(latencies, 0.99) * 1000:.0f} ms",
        f"- staff queue with {done} waiting tickets: p50 "
        f"{statistics.median(queue_times) * 1000:.0f} ms, p99 "
        f"{percentile(queue_times, 0.99) * 1000:.0f} ms",
        f"- python {sys.version.split()[0]}, {os.cpu_count()} cores",
        "",
    ]
    print("\n".join(lines))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    with RESULTS.open("a", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
