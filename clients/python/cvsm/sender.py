"""The run's background sender: drains the outbox in order, in numbered batches, one
request at a time, over one kept-alive connection.

Failures that may pass (no answer, 5xx, 429) are retried with backoff and jitter, or after
Retry-After. While the server stays out of reach past ``spool_after`` seconds, or with
``spool_events`` events or ``spool_bytes`` of them queued, everything queued goes to the
spool file, and keeps going there until a replay of that file succeeds, so the numbers
reach the server in order. A
refused key (401, 403) is reported once and nothing more is sent: events go to the spool,
for ``cvsm sync`` with a good key."""

import os
import random
import threading
import time
from typing import Any, Callable, Deque, Dict, List, Optional
from collections import deque

from . import spool
from .delivery import deliver, replay
from .outbox import Outbox
from .settings import Settings
from .transport import API, RequestFailed, Transport, backoff_delay, session_body
from .wire import Batch, to_wire


class Sender:
    def __init__(self, settings: Settings, outbox: Outbox, header: Dict[str, Any],
                 report: Callable[[str, str], None], on_created: Callable[[], None]):
        self.settings = settings
        self.outbox = outbox
        outbox.batch_size = settings.batch_size
        self.header = header
        self.experiment_id = header["experiment_id"]
        self.producer_id = header["producer_id"]
        self.report = report
        self.on_created = on_created
        self.transport = Transport(settings.server, settings.api_key, settings.request_timeout)
        self.spool_path = (spool.spool_path(settings.spool_dir, self.experiment_id, self.producer_id)
                           if settings.spool_dir else None)
        self.next_seq = 1
        #: Numbered batches taken from the outbox and not yet stored, oldest first.
        self.pending: Deque[Batch] = deque()
        self.created = False
        self.refused = False
        self.spooling = False
        self.unreachable_since: Optional[float] = None
        self.attempt = 0
        self.last_unreachable_report = 0.0
        self.stats = {"delivered": 0, "batches": 0, "rejected": 0, "retries": 0, "spooled": 0, "lost": 0}
        #: Set by the run: deliver what is queued now, without waiting for the interval.
        self.urgent = False
        #: Set at the exit deadline: stop trying, put what is left in the spool.
        self.abandon = threading.Event()
        self.progress = threading.Condition()
        #: Held while events move between the outbox, the batches and the spool, so that
        #: idle() never sees them in neither place.
        self.moving = threading.Lock()
        self.rng = random.Random()
        self.thread = threading.Thread(target=self._main, name=f"cvsm-sender:{self.experiment_id}", daemon=True)

    def start(self) -> None:
        self.thread.start()

    # --- The loop ---------------------------------------------------------------------------

    def _main(self) -> None:
        try:
            self._loop()
        except Exception as error:  # a fault of ours must not take the training down
            self.report("fault", f"sender stopped: {type(error).__name__}: {error}")
        finally:
            self._settle()
            self.transport.close()
            with self.progress:
                self.progress.notify_all()

    def _loop(self) -> None:
        s, outbox = self.settings, self.outbox
        while not self.abandon.is_set():
            if self.refused:
                self._spill() if self.spool_path else self._discard()
                if outbox.closed:
                    return
                outbox.wake.wait(1.0)
                outbox.wake.clear()
                continue
            if not self.pending and outbox.count == 0:
                with self.progress:
                    self.progress.notify_all()
                if outbox.closed and not self.spooling:
                    return
                if not self.spooling:
                    outbox.wake.wait(1.0)
                    outbox.wake.clear()
                    continue
            if not self.pending and not self.spooling and not outbox.closed and not self.urgent:
                if outbox.count < s.batch_size:
                    oldest = outbox.oldest_time()
                    delay = (oldest or 0) + s.flush_interval - time.time()
                    if delay > 0:
                        outbox.wake.wait(delay)
                        outbox.wake.clear()
                        continue
            try:
                self._step()
                self._reachable()
            except RequestFailed as error:
                self._failed(error)

    def _step(self) -> None:
        if not self.created:
            self.transport.request("POST", f"{API}/session", session_body(
                self.experiment_id, self.header.get("config"), self.header.get("total_epochs"), self.header.get("host")))
            self.created = True
            self.on_created()
        if self.spooling:
            # Everything queued meanwhile joins the file first, then the file goes out in order.
            self._spill()
            self.stats["delivered"] += replay(self.spool_path, self.transport, self.report)
            self.spooling = False
            return
        if not self.pending:
            self._take()
        if self.pending:
            first, events = self.pending[0]
            stored, rejected = deliver(self.transport, self.experiment_id, self.producer_id, first, events, self.report)
            self.stats["delivered"] += len(events) - rejected
            self.stats["batches"] += 1
            self.pending.popleft()
            self.stats["rejected"] += rejected
            dropped = self.outbox.drop_report()
            if dropped:
                self.outbox.put("l", "WARNING", f"cvsm queue was full; dropped {dropped} event(s)", "monitor", own=True)
                self.report("dropped", f"{self.experiment_id}: dropped {dropped} event(s)")
            with self.progress:
                self.progress.notify_all()

    def _take(self, everything: bool = False) -> None:
        """Numbers the events at the head of the outbox into batches (one, or all of them)."""
        with self.moving:
            self._take_locked(everything)

    def _take_locked(self, everything: bool) -> None:
        while True:
            # Never more than batch_size a batch, spooled ones too: a replay sends them as they are.
            entries = self.outbox.take(self.settings.batch_size)
            if not entries:
                return
            skipped: List[str] = []
            events = [e for e in (to_wire(entry, skipped) for entry in entries) if e is not None]
            for reason in skipped:
                self.report("rejected", f"{self.experiment_id}: {reason}; not sent")
            if events:
                self.pending.append((self.next_seq, events))
                self.next_seq += len(events)
            if not everything:
                return

    def _reachable(self) -> None:
        self.unreachable_since = None
        self.attempt = 0

    def _failed(self, error: RequestFailed) -> None:
        if error.refused_key:
            self.refused = True
            self.report("refused", f"the server refused the API key ({error}); nothing more is sent"
                        + (f", events are kept in {self.spool_path}" if self.spool_path else ""))
            return
        if not error.retryable and self.spooling:
            # The spool file is kept whatever the answer; it is tried again later.
            self.report("rejected", f"replay of {self.spool_path}: {error}; kept for later")
            self.abandon.wait(self.settings.retry_max)
            return
        if not error.retryable:
            # A run deleted meanwhile (404) or an answer we cannot use: this batch is given up.
            dropped = self.pending.popleft() if self.pending else None
            n = len(dropped[1]) if dropped else 0
            self.stats["rejected"] += n
            self.report("rejected", f"{n} event(s) of {self.experiment_id} refused: {error}")
            return
        now = time.time()
        if self.unreachable_since is None:
            self.unreachable_since = now
            # Said once a minute at most: a flaky link would otherwise fill the trainer's log.
            if now - self.last_unreachable_report >= 60:
                self.last_unreachable_report = now
                self.report("unreachable", f"{error}; retrying")
        self.stats["retries"] += 1
        s = self.settings
        if self.spool_path and (now - self.unreachable_since >= s.spool_after or self.outbox.count >= s.spool_events
                                or self.outbox.bytes >= s.spool_bytes):
            self._spill()
        delay = error.retry_after if error.retry_after is not None else backoff_delay(
            self.attempt, s.retry_initial, s.retry_max, self.rng)
        self.attempt += 1
        self.abandon.wait(min(delay, 60.0))

    # --- Disk -------------------------------------------------------------------------------

    def _spill(self) -> None:
        """Everything taken and queued, in order, to the spool file."""
        if not self.spool_path:
            return
        with self.moving:
            self._take_locked(True)
            if not self.pending:
                return
            batches = list(self.pending)
            spool.append(self.spool_path, self.header, batches)
            if not self.spooling:
                self.report("spooled", f"server out of reach: events of {self.experiment_id} go to {self.spool_path}")
            self.spooling = True
            self.pending.clear()
        self.stats["spooled"] += sum(len(events) for _, events in batches)

    def _discard(self) -> None:
        self._take(everything=True)
        lost = sum(len(events) for _, events in self.pending)
        self.pending.clear()
        self.stats["lost"] += lost

    def _settle(self) -> None:
        """At the end: what was not delivered goes to the spool, or is counted lost."""
        if self.spool_path:
            try:
                self._spill()
            except OSError as error:
                self.report("fault", f"could not write the spool: {error}")
        self._take(everything=True)
        lost = sum(len(events) for _, events in self.pending)
        if lost:
            self.stats["lost"] += lost
            self.report("lost", f"{lost} event(s) of {self.experiment_id} could not be delivered")
        if self.spooling and self.spool_path and os.path.exists(self.spool_path):
            self.report("spooled", f"undelivered events of {self.experiment_id} are in {self.spool_path}; "
                        f"send them with: python -m cvsm sync {os.path.dirname(self.spool_path)}")

    # --- For the run ------------------------------------------------------------------------

    def idle(self) -> bool:
        with self.moving:
            return not self.pending and self.outbox.count == 0 and not self.spooling

    def wait_idle(self, timeout: Optional[float]) -> bool:
        """Waits until everything queued so far was delivered (or the sender ended)."""
        deadline = None if timeout is None else time.time() + timeout
        self.urgent = True
        self.outbox.wake.set()
        try:
            with self.progress:
                while not self.idle() and self.thread.is_alive():
                    left = None if deadline is None else deadline - time.time()
                    if left is not None and left <= 0:
                        return False
                    self.progress.wait(0.05 if left is None else min(left, 0.05))
            return self.idle()
        finally:
            self.urgent = False
