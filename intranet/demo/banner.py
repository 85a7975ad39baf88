"""The framed notice at the end of ``make run``'s start-up: where to open the app and the
demo admin's password, so it does not scroll away among gunicorn's log lines.

``demo load`` keeps the generated password in the instance folder (readable by the
owner only); the notice shows it only while it still opens the demo admin's account,
and says so once someone has changed it.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from intranet.auth.models import User

PASSWORD_FILE = "demo-admin-password.txt"
DEMO_ADMIN = "admin"


def password_file() -> Path:
    return Path(current_app.instance_path) / PASSWORD_FILE


def keep_password(password: str) -> None:
    """Store the demo admin's first password for the start-up notice (mode 0600)."""
    path = password_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(password + "\n")


def demo_password() -> str | None:
    """The kept password while it still opens the demo admin's account, else ``None``
    (the file is removed once the password was changed: it is of no use any more)."""
    path = password_file()
    if not path.exists():
        return None
    password = path.read_text(encoding="utf-8").strip()
    admin = current_app.extensions["sqlalchemy"].session.scalar(
        select(User).where(User.username == DEMO_ADMIN))
    if admin is None or not admin.check_password(password):
        path.unlink(missing_ok=True)
        return None
    return password


def network_address() -> str | None:
    """This machine's address in the local network (no packet is sent), for a tablet."""
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        probe.connect(("10.255.255.255", 1))
        return str(probe.getsockname()[0])
    except OSError:
        return None
    finally:
        probe.close()


def banner(host: str, port: int) -> str:
    """The framed lines: addresses to open, the login and how to stop."""
    addresses = [f"http://127.0.0.1:{port}/"]
    if host in ("0.0.0.0", "::"):
        found = network_address()
        if found:
            addresses.append(f"http://{found}:{port}/   (tablets in the same network)")
    elif host not in ("127.0.0.1", "localhost"):
        addresses = [f"http://{host}:{port}/"]
    password = demo_password()
    lines = ["Mittelpunkt is running.", ""]
    lines += [f"Open       {address}" for address in addresses]
    lines += [f"Kiosk      {addresses[0]}kiosk/   (pair it under Administration → Kiosks)", ""]
    if password:
        lines += [f"Log in as  {DEMO_ADMIN}", f"Password   {password}"]
    else:
        lines += [f"Log in as  {DEMO_ADMIN} with the password you set",
                  "(forgotten? flask --app intranet users create ... makes a new account)"]
    lines += ["", "Ctrl+C stops it."]
    width = max(len(line) for line in lines) + 4
    frame = "#" * (width + 2)
    body = [f"#  {line.ljust(width - 2)}#" for line in lines]
    return "\n".join(["", frame, *body, frame, ""])
