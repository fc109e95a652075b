import os
import sys
import time

import pytest

sys.path.insert(0, os.path.abspath(os.path.join(os.path.dirname(__file__), "..")))
sys.path.insert(0, os.path.dirname(__file__))

from server import Database, Server  # noqa: E402


def until(check, what: str, timeout: float = 20.0, interval: float = 0.02):
    """Returns once ``check()`` is truthy (its value); fails naming ``what`` after ``timeout``."""
    deadline = time.time() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(interval)


@pytest.fixture(scope="session")
def databases():
    """Two fresh databases: one open (no keys), one where an API key is required."""
    db = Database(count=2)
    yield db.urls
    db.close()


@pytest.fixture(scope="session")
def server(databases):
    s = Server(databases[0])
    s.start()
    yield s
    s.stop()


@pytest.fixture
def own_server(databases):
    """A server process of the test's own (to SIGKILL), on the shared open database."""
    s = Server(databases[0])
    yield s
    s.stop()


@pytest.fixture
def spool_dir(tmp_path):
    return str(tmp_path / "spool")
