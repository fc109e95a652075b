"""The run's outbox: events in call order, bounded in count (and their memory estimated). The calling thread only appends
under a lock; the sender takes from the head and numbers what it takes (so a dropped event
leaves no gap in the producer's numbers).

When full, "drop-debug" drops the oldest DEBUG line, then INFO, then the oldest event, and
counts what it dropped; "block" makes the call wait until the sender made room. Dropped
entries are marked rather than removed, so dropping is O(1) too."""

import threading
import time
from collections import deque
from typing import Deque, Dict, List, Optional

# An entry: [gone, kind, time, a, b, c, size]  (size: its memory, roughly, in bytes)
#   kind "l": a=level, b=message, c=source;  "m": a=epoch, b=step, c=values;  "s": a=status, b=message
GONE, KIND, TIME, A, SIZE = 0, 1, 2, 3, 6
DROP_ORDER = ("DEBUG", "INFO")


class Outbox:
    def __init__(self, capacity: int, when_full: str):
        self.capacity = capacity
        self.block = when_full == "block"
        self.lock = threading.Lock()
        self.room = threading.Condition(self.lock)
        self.wake = threading.Event()
        self.entries: Deque[list] = deque()
        self.by_level: Dict[str, Deque[list]] = {level: deque() for level in DROP_ORDER}
        #: Events queued and not yet taken (dropped ones excluded).
        self.count = 0
        #: Their memory, estimated: what spool_bytes is compared with.
        self.bytes = 0
        self.dropped: Dict[str, int] = {}
        self.closed = False
        #: Set by the sender: a batch this large wakes it at once.
        self.batch_size = 1000

    def put(self, kind: str, a, b, c=None, at: Optional[float] = None, own: bool = False) -> bool:
        """Queues an event; False when the run is closed. ``own``: the client's own line
        (never blocks, taken even after close)."""
        with self.lock:
            if self.closed and not own:
                return False
            if self.count >= self.capacity and not own:
                if self.block:
                    while self.count >= self.capacity and not self.closed:
                        self.room.wait(0.5)
                else:
                    self._drop_one()
            size = 120 + len(b) if kind == "l" else (100 + 60 * len(c) if kind == "m" else 120)
            entry = [False, kind, at or time.time(), a, b, c, size]
            self.entries.append(entry)
            self.bytes += size
            if kind == "l" and a in self.by_level:
                self.by_level[a].append(entry)
            self.count += 1
            n = self.count
        if n == 1 or n == self.batch_size:
            self.wake.set()
        return True

    def take(self, limit: int) -> List[list]:
        """Up to ``limit`` events from the head, in order."""
        batch: List[list] = []
        with self.lock:
            entries = self.entries
            while entries and len(batch) < limit:
                entry = entries.popleft()
                if entry[GONE]:
                    continue
                entry[GONE] = True
                batch.append(entry)
            self.count -= len(batch)
            self.bytes -= sum(entry[SIZE] for entry in batch)
            self._trim_levels()
            self.room.notify_all()
        return batch

    def take_all(self) -> List[list]:
        return self.take(1 << 62)

    def oldest_time(self) -> Optional[float]:
        with self.lock:
            for entry in self.entries:
                if not entry[GONE]:
                    return entry[TIME]
        return None

    def drop_report(self) -> Optional[str]:
        """"1200 DEBUG, 3 metrics" since the last call, or None."""
        with self.lock:
            if not self.dropped:
                return None
            text = ", ".join(f"{n} {key}" for key, n in self.dropped.items())
            self.dropped = {}
            return text

    def close(self) -> None:
        with self.lock:
            self.closed = True
            self.room.notify_all()
        self.wake.set()

    def _drop_one(self) -> None:
        victim = None
        for level in DROP_ORDER:
            fifo = self.by_level[level]
            while fifo and fifo[0][GONE]:
                fifo.popleft()
            if fifo:
                victim = fifo.popleft()
                break
        if victim is None:
            # Only warnings, errors and metrics are left: the oldest goes (a status change never).
            victim = next((e for e in self.entries if not e[GONE] and e[KIND] != "s"), None)
        if victim is None:
            return
        victim[GONE] = True
        self.count -= 1
        self.bytes -= victim[SIZE]
        key = victim[A] if victim[KIND] == "l" else "metrics"
        self.dropped[key] = self.dropped.get(key, 0) + 1

    def _trim_levels(self) -> None:
        for fifo in self.by_level.values():
            while fifo and fifo[0][GONE]:
                fifo.popleft()
