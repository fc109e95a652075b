"""Optional console capture: lines written to stdout and stderr also become log lines
(INFO and ERROR), and are still printed."""

import sys
import threading
from typing import Callable


class _Tee:
    def __init__(self, stream, emit: Callable[[str], None]):
        self._stream = stream
        self._emit = emit
        self._partial = ""
        self._lock = threading.Lock()

    def write(self, text: str) -> int:
        n = self._stream.write(text)
        with self._lock:
            lines = (self._partial + text).split("\n")
            self._partial = lines.pop()
        for line in lines:
            if line.strip():
                self._emit(line.rstrip("\r"))
        return n

    def flush(self) -> None:
        self._stream.flush()

    def __getattr__(self, name):
        return getattr(self._stream, name)


def capture(emit: Callable[[str, str], None]) -> Callable[[], None]:
    """Starts capturing; returns the function that stops it."""
    out, err = sys.stdout, sys.stderr
    sys.stdout = _Tee(out, lambda line: emit("stdout", line))
    sys.stderr = _Tee(err, lambda line: emit("stderr", line))

    def stop() -> None:
        if isinstance(sys.stdout, _Tee) and sys.stdout._stream is out:
            sys.stdout = out
        if isinstance(sys.stderr, _Tee) and sys.stderr._stream is err:
            sys.stderr = err

    return stop
