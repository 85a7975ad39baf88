"""Check-ins under load and faults: gunicorn with 4 workers, many kiosks at once, a killed worker.

The server runs as in production (gunicorn, settings from the environment, CSRF
on); clients in several processes walk through the kiosk's steps like a browser.
First burst: every check-in gets a number, the numbers are distinct and the
database holds exactly the tickets the kiosks showed. Second burst: one worker is
SIGKILLed midway; requests it was serving may break, and the kiosk sends them
again with the same one-time token, so every number a visitor saw is stored, none
twice, the app keeps serving and SQLite's ``PRAGMA integrity_check`` says ok.

Bounded in time: every request times out, every wait has a deadline, and the
server and client processes are stopped in any case.
"""

from __future__ import annotations

import multiprocessing
import signal
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from queue import Empty
from typing import Any

import pytest
from gunicorn_server import (
    Browser,
    Gunicorn,
    app_env,
    check_in,
    flask_cli,
    get_status,
    gunicorn,
    pair,
    pairing_codes,
    run_client,
    send_ticket_again,
    sqlite_integrity,
    stored_checkins,
)

pytestmark = pytest.mark.load

WORKERS = 4
KIOSKS = 4  # one client process per kiosk
THREADS = 8  # visitors at the same time per kiosk
FIRST_BURST = 500
SECOND_BURST = 200
BURST_SECONDS = 120  # a generous ceiling per burst on a busy 2-core machine
TEST_SECONDS = 240  # and one for the whole test (it takes 15-50 s here)


def burst(server: Gunicorn, kiosks: list[dict[str, str]], total: int, first_index: int,
          meanwhile: Callable[[Any], None] | None = None) -> list[dict[str, Any]]:
    """``total`` check-ins from one process per kiosk; ``meanwhile(progress)`` runs alongside."""
    context = multiprocessing.get_context("spawn")
    progress = context.Value("i", 0)
    queue = context.Queue()
    shares = [total // len(kiosks) + (i < total % len(kiosks)) for i in range(len(kiosks))]
    starts = [first_index + sum(shares[:i]) for i in range(len(kiosks))]
    clients = [context.Process(target=run_client, daemon=True,
                               args=(server.base, cookies, share, THREADS, start, progress,
                                     queue))
               for cookies, share, start in zip(kiosks, shares, starts, strict=True)]
    deadline = time.monotonic() + BURST_SECONDS
    results: list[dict[str, Any]] = []
    try:
        for client in clients:
            client.start()
        if meanwhile is not None:
            meanwhile(progress)
        reported = 0
        while reported < len(clients):
            try:
                results.extend(queue.get(timeout=1))
                reported += 1
            except Empty:
                crashed = [c.exitcode for c in clients if c.exitcode not in (None, 0)]
                assert not crashed, f"a client process failed (exit codes {crashed})"
                assert time.monotonic() < deadline, f"the burst took over {BURST_SECONDS} s"
        for client in clients:
            client.join(timeout=max(1.0, deadline - time.monotonic()))
    finally:
        for client in clients:
            if client.is_alive():
                client.kill()
                client.join(timeout=5)
    assert len(results) == total
    return results


def kill_a_worker_midway(server: Gunicorn, after: int, killed: list[int]) -> Callable[[Any], None]:
    """Once ``after`` check-ins are done, SIGKILL one worker (waiting at most 60 s)."""

    def meanwhile(progress: Any) -> None:
        deadline = time.monotonic() + 60
        while progress.value < after and time.monotonic() < deadline:
            time.sleep(0.02)
        killed.append(server.kill_worker())

    return meanwhile


def assert_stored_exactly(database_url: str, results: list[dict[str, Any]]) -> None:
    """The database holds exactly the tickets the kiosks showed, each once, numbers unique."""
    rows = stored_checkins(database_url)
    stored = {token: ticket for token, _day, _number, ticket in rows}
    shown = {r["token"]: r["ticket"] for r in results}
    assert len(stored) == len(rows), "a one-time token was stored twice"
    assert len({(day, number) for _token, day, number, _ticket in rows}) == len(rows)
    assert all(ticket.endswith(f"-{number}") for _token, _day, number, ticket in rows)
    assert stored == shown


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The default SQLite file in the instance folder, or a fresh PostgreSQL database."""
    if request.param == "postgres":
        return str(request.getfixturevalue("postgres_url"))
    return f"sqlite:///{tmp_path / 'instance' / 'mittelpunkt.sqlite3'}"


class TimeLimitExceeded(Exception):
    """Not an OSError (as TimeoutError is), so no retry loop on the way swallows it."""


@pytest.fixture
def time_limit() -> Iterator[None]:
    """Interrupt the test after ``TEST_SECONDS``; its ``finally`` blocks still stop everything."""

    def expired(_signum: int, _frame: Any) -> None:
        raise TimeLimitExceeded(f"the load test ran longer than {TEST_SECONDS} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, TEST_SECONDS)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@pytest.mark.usefixtures("time_limit")
def test_checkins_under_load_and_a_killed_worker(database_url: str, tmp_path: Path) -> None:
    started = time.monotonic()
    instance = tmp_path / "instance"
    instance.mkdir()
    # Production settings (CSRF on, only our host name answered), but a rate limit
    # that lets four kiosks take 700 check-ins in a minute.
    env = app_env(instance, database_url, KIOSK_CHECKINS_PER_MINUTE="100000",
                  WTF_CSRF_ENABLED="true", TRUSTED_HOSTS="127.0.0.1")
    flask_cli(env, "db", "upgrade")
    codes = pairing_codes(env, KIOSKS)

    with gunicorn(env, WORKERS, tmp_path / "gunicorn.log") as server:
        kiosks = [pair(server.base, code) for code in codes]

        first = burst(server, kiosks, FIRST_BURST, first_index=0)
        problems = [r for r in first if r["errors"] or r["server_errors"] or not r["ticket"]]
        assert not problems, problems[:5]
        tickets = [r["ticket"] for r in first]
        assert len(set(tickets)) == FIRST_BURST, "two visitors got the same number"
        assert_stored_exactly(database_url, first)
        first_seconds = time.monotonic() - started

        killed: list[int] = []
        second = burst(server, kiosks, SECOND_BURST, first_index=FIRST_BURST,
                       meanwhile=kill_a_worker_midway(server, SECOND_BURST // 4, killed))
        assert len(killed) == 1
        assert not [r for r in second if r["server_errors"]], "the server answered 4xx/5xx"
        gave_up = [r for r in second if not r["ticket"]]
        assert not gave_up, gave_up[:5]
        replaced = server.wait_for_workers(gone=killed[0])

        # A kiosk that resends its last step (same one-time token) gets the same ticket.
        for result in second[:10]:
            assert send_ticket_again(server.base, result["ticket_request"]) == result["ticket"]

        # The app keeps serving: health check, and a new visitor gets the next number.
        assert get_status(server.base, "/healthz") == 200
        fresh = check_in(Browser(server.base, kiosks[0]), index=FIRST_BURST + SECOND_BURST)
        assert fresh.ticket and not fresh.errors, fresh
        everyone = [*first, *second, vars(fresh)]
        assert_stored_exactly(database_url, everyone)

    # Nothing went wrong inside the app: the killed worker is the only incident.
    log = (tmp_path / "gunicorn.log").read_text(errors="replace")
    assert "Traceback" not in log, log[-3000:]
    busy = log.count("database busy while numbering")
    if database_url.startswith("sqlite:///"):
        assert sqlite_integrity(Path(database_url.removeprefix("sqlite:///"))) == "ok"
    days = {day for _token, day, _number, _ticket in stored_checkins(database_url)}
    if len(days) == 1:  # not across local midnight: numbers are 1, 2, 3 … without gaps
        numbers = sorted(n for _t, _d, n, _ticket in stored_checkins(database_url))
        assert numbers == list(range(1, len(everyone) + 1))
    retries = sum(r["retries"] for r in second)
    print(f"\nload test ({database_url.partition(':')[0]}): {FIRST_BURST} check-ins in "
          f"{first_seconds:.1f} s incl. set-up; "
          f"second burst {SECOND_BURST} with worker {killed[0]} killed "
          f"({'while' if server.killed_while_serving else 'not seen'} serving) "
          f"(replaced: {sorted(replaced)}), {retries} retried requests, "
          f"{sum(bool(r['errors']) for r in second)} check-ins saw a broken connection, "
          f"{busy} numbering retries on a busy database; "
          f"total {time.monotonic() - started:.1f} s")
    for error in [e for r in second for e in r["errors"]][:5]:
        print(f"  broken, then sent again: {error}")
