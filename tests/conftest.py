"""Fixtures of the core's tests; the shared ones come from intranet.testing."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

PG_BIN_GLOB = "/usr/lib/postgresql/*/bin"


def _postgres_bin() -> Path | None:
    found = sorted(Path("/").glob(PG_BIN_GLOB.lstrip("/")))
    return found[-1] if found and (found[-1] / "initdb").exists() else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A throwaway PostgreSQL server on loopback; yields a base URL without a database.

    PostgreSQL refuses to run as root, so as root the server runs as the
    ``postgres`` user. ``make test`` installs the server when it is missing.
    """
    bin_dir = _postgres_bin()
    if bin_dir is None:
        pytest.fail("PostgreSQL is not installed; `make test` installs it "
                    "(apt-get install postgresql)")
    folder = Path(tempfile.mkdtemp(prefix="mittelpunkt-pg-"))
    data, sockets = folder / "data", folder / "sock"
    sockets.mkdir()
    port = _free_port()
    as_root = os.geteuid() == 0

    def run(*args: str) -> None:
        command = " ".join(args)
        if as_root:
            subprocess.run(["su", "postgres", "-s", "/bin/sh", "-c", command], check=True,
                           capture_output=True)
        else:
            subprocess.run(["/bin/sh", "-c", command], check=True, capture_output=True)

    if as_root:
        shutil.chown(folder, "postgres")
        shutil.chown(sockets, "postgres")
    run(f"{bin_dir}/initdb", "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
        "--no-sync")
    run(f"{bin_dir}/pg_ctl", "-D", str(data), "-w", "-l", str(folder / "log"), "-o",
        f"'-h 127.0.0.1 -p {port} -k {sockets} -c fsync=off -c full_page_writes=off'", "start")
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}"
    finally:
        run(f"{bin_dir}/pg_ctl", "-D", str(data), "-m", "fast", "-w", "stop")
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def postgres_url(postgres_server: str) -> str:
    """A fresh, empty database on the throwaway server for one test."""
    import psycopg

    name = f"test_{int(time.time() * 1000) % 10**9}_{os.getpid()}"
    dsn = postgres_server.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(f"{dsn}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{postgres_server}/{name}"
