# Fixtures for the core's and every plugin's tests (see intranet/testing.py).
pytest_plugins = ["intranet.testing"]
