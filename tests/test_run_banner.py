"""make run ends its start-up with a framed notice: where to open it and the demo password."""

from __future__ import annotations

import os
import re
import shlex
import stat
import subprocess

from gunicorn_server import BIN, ROOT, app_env, free_port

from intranet.auth.models import User
from intranet.core.extensions import db
from intranet.demo.banner import PASSWORD_FILE


def test_the_notice_shows_the_demo_password_until_it_is_changed(app, monkeypatch):
    monkeypatch.setenv("MITTELPUNKT_NEW_PASSWORD", "demo password 123")
    runner = app.test_cli_runner()
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    kept = os.path.join(app.instance_path, PASSWORD_FILE)
    assert stat.S_IMODE(os.stat(kept).st_mode) == 0o600  # the owner's eyes only

    notice = runner.invoke(args=["demo", "banner", "--port", "5077"]).output
    lines = notice.strip().splitlines()
    assert lines[0] == lines[-1] and set(lines[0]) == {"#"}  # framed
    assert all(line.startswith("#") and line.endswith("#") for line in lines)
    assert "http://127.0.0.1:5077/" in notice and "demo password 123" in notice

    with app.app_context():
        admin = db.session.scalar(db.select(User).where(User.username == "admin"))
        admin.set_password("a new secret for the admin 42")
        db.session.commit()
    changed = runner.invoke(args=["demo", "banner"]).output
    assert "demo password 123" not in changed and "with the password you set" in changed
    assert not os.path.exists(kept)  # of no use any more


def test_on_the_network_the_notice_names_this_machines_address(app, monkeypatch):
    monkeypatch.setattr("intranet.demo.banner.network_address", lambda: "192.168.1.23")
    notice = app.test_cli_runner().invoke(args=["demo", "banner", "--host", "0.0.0.0"]).output
    assert "http://192.168.1.23:5000/" in notice and "http://127.0.0.1:5000/" in notice


def test_gunicorn_as_make_run_starts_it_ends_with_the_notice(tmp_path):
    """The Makefile's own run line, executed: gunicorn with the notice's settings."""
    port = free_port()
    env = app_env(tmp_path, f"sqlite:///{tmp_path / 'run.db'}",
                  NEW_PASSWORD="demo password 123", TWO_FACTOR_REQUIRED="false")
    flask = [str(BIN / "flask"), "--app", "intranet"]
    for command in (["db", "upgrade"], ["demo", "load", "--if-empty"]):
        subprocess.run(flask + command, env=env, check=True, capture_output=True, cwd=ROOT)
    run = re.search(r"^run:.*?\n((?:\t.*\n)+)", (ROOT / "Makefile").read_text(), re.M)
    assert run and "$(HOST):$(PORT)" in run.group(1)
    line = run.group(1).splitlines()[-2:]
    command = " ".join(part.strip().rstrip("\\") for part in line).replace("exec ", "")
    command = (command.replace("$(BIN)/", f"{BIN}/").replace("$(WORKERS)", "1")
               .replace("$(HOST)", "127.0.0.1").replace("$(PORT)", str(port)))
    server = subprocess.Popen(shlex.split(command), env=env, cwd=ROOT, text=True,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        seen: list[str] = []
        assert server.stderr is not None
        for output in server.stderr:
            seen.append(output)
            if "Ctrl+C stops it." in output:
                break
        text = "".join(seen)
        assert f"http://127.0.0.1:{port}/" in text and "demo password 123" in text, text
        # after gunicorn's own start-up lines
        assert text.index("Listening at") < text.index("demo password 123")
    finally:
        server.terminate()
        server.wait(timeout=20)
