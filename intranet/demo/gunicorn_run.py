"""gunicorn settings of ``make run``: the start-up notice once every worker is ready.

Used as ``gunicorn -c python:intranet.demo.gunicorn_run``; production follows the
README's own gunicorn line and never loads this.
"""

from __future__ import annotations

import sys
from typing import Any


def when_ready(server: Any) -> None:
    """Print the framed notice after gunicorn's own start-up lines."""
    from intranet import create_app
    from intranet.demo.banner import banner

    host, port = "127.0.0.1", 5000
    address = server.address[0] if server.address else None
    if isinstance(address, tuple):
        host, port = str(address[0]), int(address[1])
    app = create_app()
    with app.app_context():
        text = banner(host, port)
    print(text, file=sys.stderr, flush=True)
