"""One training run as the trainer sees it. Every call returns at once: events go to the
outbox and the sender thread delivers them; nothing here waits on the network."""

import atexit
import logging
import socket
import sys
import threading
import time
import traceback
import uuid
from typing import Any, Callable, Dict, List, Mapping, Optional

from .console import capture
from .control import ControlPoller
from .outbox import Outbox
from .sender import Sender
from .settings import Settings

log = logging.getLogger("cvsm")

STATUSES = ("queued", "running", "paused", "completed", "failed", "stopped")
LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
_ALIASES = {"WARN": "WARNING", "FATAL": "CRITICAL"}

#: Runs not finished yet, flushed at exit (held here so a run nobody keeps still delivers).
_open_runs: "set[Run]" = set()


class Run:
    def __init__(self, experiment_id: str, settings: Settings, config: Optional[Mapping[str, Any]] = None,
                 total_epochs: Optional[int] = None, host: Optional[str] = None, capture_console: bool = False,
                 status: Optional[str] = "running"):
        self.experiment_id = experiment_id
        #: Names this run's events on the server, which stores each (producer, number) once.
        self.producer_id = uuid.uuid4().hex
        self.settings = settings
        self.host = host or socket.gethostname()
        self._epoch = 0
        self._stop = threading.Event()
        self._pause = threading.Event()
        self._changed = threading.Condition()
        self._listeners: List[Callable[[Dict[str, Any]], None]] = []
        self._finished = False
        self._lock = threading.Lock()
        self._outbox = Outbox(settings.queue_size, settings.when_full)
        header = {"cvsm_spool": 1, "server": settings.server, "experiment_id": experiment_id,
                  "producer_id": self.producer_id, "config": dict(config) if config is not None else None,
                  "total_epochs": total_epochs, "host": self.host}
        self._control = ControlPoller(settings, experiment_id, self._on_command, self._report)
        self._sender = Sender(settings, self._outbox, header, self._report, self._control.start)
        self._stop_capture: Optional[Callable[[], None]] = None
        self._sender.start()
        if status:
            self.set_status(status)
        if capture_console:
            self._stop_capture = capture(
                lambda stream, line: self.log(line, "INFO" if stream == "stdout" else "ERROR", source=stream))
        _open_runs.add(self)

    # --- Reporting: returns at once ---------------------------------------------------------

    def log(self, message: str, level: str = "INFO", source: Optional[str] = None,
            timestamp: Optional[float] = None) -> bool:
        """Queues a log line (DEBUG..CRITICAL; WARN and FATAL accepted). ``timestamp``: seconds since the epoch."""
        lvl = level.upper()
        lvl = _ALIASES.get(lvl, lvl)
        if lvl not in LEVELS:
            raise ValueError(f"level must be one of {', '.join(LEVELS)}, not {level!r}")
        return self._outbox.put("l", lvl, str(message), source, timestamp)

    def debug(self, message: str, **kw) -> bool:
        return self.log(message, "DEBUG", **kw)

    def info(self, message: str, **kw) -> bool:
        return self.log(message, "INFO", **kw)

    def warning(self, message: str, **kw) -> bool:
        return self.log(message, "WARNING", **kw)

    def error(self, message: str, **kw) -> bool:
        return self.log(message, "ERROR", **kw)

    def critical(self, message: str, **kw) -> bool:
        return self.log(message, "CRITICAL", **kw)

    def metrics(self, values: Mapping[str, Any], epoch: Optional[int] = None, step: Optional[int] = None,
                timestamp: Optional[float] = None) -> bool:
        """Queues a metric report. ``epoch`` defaults to the last one given (0 at first)."""
        if epoch is None:
            epoch = self._epoch
        else:
            self._epoch = epoch = int(epoch)
        return self._outbox.put("m", epoch, None if step is None else int(step), dict(values), timestamp)

    def set_status(self, status: str, message: Optional[str] = None) -> bool:
        """Queues a status change, after everything queued before it."""
        s = status.strip().lower()
        if s not in STATUSES:
            raise ValueError(f"status must be one of {', '.join(STATUSES)}, not {status!r}")
        return self._outbox.put("s", s, message)

    # --- Control from the web app -----------------------------------------------------------

    @property
    def should_stop(self) -> bool:
        """True once stop was asked from the web app."""
        return self._stop.is_set()

    @property
    def pause_requested(self) -> bool:
        return self._pause.is_set() and not self._stop.is_set()

    def on_control(self, listener: Callable[[Dict[str, Any]], None]) -> None:
        """Calls ``listener({"id", "action", "message", "requested_at"})`` for each request, on the control thread."""
        self._listeners.append(listener)

    def wait_if_paused(self, timeout: Optional[float] = None) -> bool:
        """If pause was asked: records "paused", blocks until resume (or stop), records "running".
        Call it where the loop may stop for a while (between steps or epochs). True if it paused."""
        if not self.pause_requested:
            return False
        self.set_status("paused", "paused from the web app")
        deadline = None if timeout is None else time.time() + timeout
        with self._changed:
            while self.pause_requested and (deadline is None or time.time() < deadline):
                self._changed.wait(0.5 if deadline is None else max(0.0, min(0.5, deadline - time.time())))
        if not self._stop.is_set():
            self.set_status("running", "resumed from the web app")
        return True

    def obey_controls(self) -> bool:
        """Holds here while paused from the web app; True once stop was asked. What the
        framework integrations call between steps or epochs."""
        self.wait_if_paused()
        return self.should_stop

    def _on_command(self, command: Dict[str, Any]) -> None:
        action = command.get("action")
        if action == "stop":
            self._stop.set()
        elif action == "pause":
            self._pause.set()
        elif action == "resume":
            self._pause.clear()
        with self._changed:
            self._changed.notify_all()
        for listener in list(self._listeners):
            try:
                listener(command)
            except Exception:
                log.exception("cvsm: control listener failed")

    # --- Lifecycle --------------------------------------------------------------------------

    def flush(self, timeout: Optional[float] = None) -> bool:
        """Waits until everything queued so far is delivered; False if ``timeout`` passed first."""
        return self._sender.wait_idle(timeout)

    def finish(self, status: Optional[str] = None, message: Optional[str] = None,
               timeout: Optional[float] = None) -> bool:
        """Records the final status ("completed"; "stopped" when stop was asked), delivers
        everything, and ends the run. After ``timeout`` (default: exit_timeout) what is left
        goes to the spool. True when all was delivered."""
        with self._lock:
            if self._finished:
                return self._sender.idle()
            self._finished = True
        if self._stop_capture:
            self._stop_capture()
        self.set_status(status or ("stopped" if self.should_stop else "completed"), message)
        self._outbox.close()
        delivered = self._sender.wait_idle(self.settings.exit_timeout if timeout is None else timeout)
        if not delivered:
            self._sender.abandon.set()
        self._control.stop()
        self._sender.thread.join(5.0)
        _open_runs.discard(self)
        return delivered

    @property
    def finished(self) -> bool:
        return self._finished

    def stats(self) -> Dict[str, int]:
        """Events queued, delivered, rejected, dropped, spooled and lost, and retries."""
        s = dict(self._sender.stats)
        s["queued"] = self._outbox.count
        s["dropped"] = sum(self._outbox.dropped.values())
        return s

    def __enter__(self) -> "Run":
        return self

    def __exit__(self, kind, error, tb) -> bool:
        if error is None:
            self.finish()
        elif isinstance(error, KeyboardInterrupt):
            self.finish("stopped", "interrupted")
        else:
            self.critical("".join(traceback.format_exception(kind, error, tb)), source="uncaught")
            self.finish("failed", f"{kind.__name__}: {error}")
        return False

    def _report(self, kind: str, message: str) -> None:
        if self.settings.on_error:
            self.settings.on_error(kind, message)
        level = logging.INFO if kind in ("reachable",) else logging.WARNING
        log.log(level, "cvsm: %s", message)


def _on_uncaught(kind, error, tb) -> None:
    """An exception that ends the script records its runs failed, with the traceback as a
    CRITICAL line (Ctrl-C: stopped), then goes on to the hook that was there before."""
    for run in list(_open_runs):
        if run.finished:
            continue
        if issubclass(kind, KeyboardInterrupt):
            run.finish("stopped", "interrupted")
        else:
            run.critical("".join(traceback.format_exception(kind, error, tb)), source="uncaught")
            run.finish("failed", f"{kind.__name__}: {error}")
    _previous_hook(kind, error, tb)


_previous_hook = sys.excepthook
sys.excepthook = _on_uncaught


@atexit.register
def _flush_at_exit() -> None:
    """A script that ends without finish() still delivers what it queued, within exit_timeout."""
    for run in list(_open_runs):
        if not run.finished:
            delivered = run.flush(run.settings.exit_timeout)
            if not delivered:
                run._sender.abandon.set()
            run._outbox.close()
            run._control.stop()
            run._sender.thread.join(5.0)
