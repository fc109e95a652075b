"""The options of a run, from init()'s arguments, else the environment, else defaults."""

import os
from dataclasses import dataclass
from typing import Callable, Optional

DEFAULT_SERVER = "http://127.0.0.1:8000"


def default_spool_dir() -> str:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "cvsm", "spool")


@dataclass
class Settings:
    server: str = DEFAULT_SERVER
    api_key: Optional[str] = None
    #: Events held in memory; when full, ``when_full`` decides.
    queue_size: int = 100_000
    #: "drop-debug" drops DEBUG lines first, then INFO; "block" makes the call wait for room.
    when_full: str = "drop-debug"
    batch_size: int = 1000
    #: Seconds an event may wait for companions before its batch is sent.
    flush_interval: float = 0.2
    request_timeout: float = 15.0
    retry_initial: float = 0.2
    retry_max: float = 10.0
    #: Where events go when the server stays unreachable; None keeps them in memory only.
    spool_dir: Optional[str] = None
    #: Unreachable this many seconds, or this many events (or estimated bytes) queued
    #: meanwhile: spill to disk.
    spool_after: float = 30.0
    spool_events: int = 20_000
    spool_bytes: int = 64 * 1024 * 1024
    #: How long the exit flush may take before what is left goes to the spool.
    exit_timeout: float = 10.0
    #: Long-poll wait for control requests; each poll also tells the server the run is alive.
    control_wait: float = 10.0
    on_error: Optional[Callable[[str, str], None]] = None

    @classmethod
    def resolve(cls, server=None, api_key=None, spool_dir=None, **options) -> "Settings":
        env = os.environ
        settings = cls(
            server=(server or env.get("CVSM_SERVER") or DEFAULT_SERVER).rstrip("/"),
            api_key=api_key or env.get("CVSM_API_KEY") or None,
            spool_dir=spool_dir or env.get("CVSM_SPOOL_DIR") or default_spool_dir(),
            **{k: v for k, v in options.items() if v is not None},
        )
        if spool_dir is False or env.get("CVSM_SPOOL_DIR") == "off":
            settings.spool_dir = None
        if settings.when_full not in ("drop-debug", "block"):
            raise ValueError("when_full must be 'drop-debug' or 'block'")
        if settings.queue_size < 1 or settings.batch_size < 1:
            raise ValueError("queue_size and batch_size must be at least 1")
        settings.batch_size = min(settings.batch_size, 5000)  # the server's limit per batch
        return settings
