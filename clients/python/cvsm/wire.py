"""Outbox entries in the batch door's JSON shape. Runs on the sender thread, so the training
loop pays for none of it."""

import time
from typing import Any, Dict, List, Optional, Tuple

from .outbox import A, KIND, TIME


_second = [-1, ""]


def iso(t: float) -> str:
    # Events come many a second: the date and time of day are formatted once per second.
    whole = int(t)
    if whole != _second[0]:
        _second[0], _second[1] = whole, time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(whole))
    return f"{_second[1]}.{int((t - whole) * 1000):03d}Z"


def number(value: Any) -> Optional[float]:
    """A metric value as a float: ints, numpy scalars, 0-d tensors; None when it is none."""
    if type(value) is float:
        return value
    if isinstance(value, bool):
        return float(value)
    try:
        return float(value)
    except (TypeError, ValueError):
        item = getattr(value, "item", None)
        if callable(item):
            try:
                return float(item())
            except (TypeError, ValueError):
                return None
        return None


def to_wire(entry: list, skipped: List[str]) -> Optional[Dict[str, Any]]:
    """The event, or None when nothing of it can be sent (``skipped`` says why)."""
    kind = entry[KIND]
    a, b, c = entry[A], entry[A + 1], entry[A + 2]
    if kind == "m":
        values: Dict[str, float] = {}
        for name, value in c.items():
            kind_of = type(value)
            # Floats and ints, nearly every value, go as they are; the rest is read as a number.
            v = value if kind_of is float or kind_of is int else number(value)
            if v is None:
                skipped.append(f"metric {name!r}: {kind_of.__name__} is not a number")
            else:
                values[name if type(name) is str else str(name)] = v
        if not values:
            return None
        event: Dict[str, Any] = {"type": "metrics", "epoch": a, "metrics": values, "timestamp": iso(entry[TIME])}
        if b is not None:
            event["step"] = b
        return event
    if kind == "l":
        event = {"type": "log", "level": a, "message": b, "timestamp": iso(entry[TIME])}
        if c is not None:
            event["source"] = c
        return event
    event = {"type": "status", "status": a}
    if b is not None:
        event["message"] = b
    return event


#: A numbered batch: the producer's number of its first event, and the events in order.
Batch = Tuple[int, List[Dict[str, Any]]]
