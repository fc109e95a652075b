"""One numbered batch to the batch door, as the live sender and ``cvsm sync`` both send it.

Refused events (a 422 names them by index) are reported and the rest sent again; nothing
of a refused batch was stored, so the rest keeps the batch's first number. A batch too
large for the server (413) is halved, first half first, so numbers still arrive in order.
Anything else raises RequestFailed for the caller to retry, spool or give up on."""

import json
import os
from typing import Any, Callable, Dict, List, Tuple

from . import spool
from .transport import API, RequestFailed, Transport, batch_path, rejected_indices, session_body


def deliver(transport: Transport, experiment_id: str, producer_id: str, first_seq: int,
            events: List[Dict[str, Any]], report: Callable[[str, str], None]) -> Tuple[int, int]:
    """Sends the batch; returns (stored, rejected)."""
    if not events:
        return 0, 0
    body = {"producer_id": producer_id, "first_seq": first_seq, "events": events}
    try:
        answer = transport.request("POST", batch_path(experiment_id), body)
        return int((answer or {}).get("stored", 0)), 0
    except RequestFailed as error:
        if error.status == 422:
            bad = {i: why for i, why in rejected_indices(error.details).items() if i < len(events)}
            if not bad:
                report("rejected", f"{len(events)} event(s) of {experiment_id} refused: {error}")
                return 0, len(events)
            for i, reason in sorted(bad.items()):
                report("rejected", f"event of {experiment_id} refused ({reason}): {json.dumps(events[i])[:300]}")
            rest = [e for i, e in enumerate(events) if i not in bad]
            stored, rejected = deliver(transport, experiment_id, producer_id, first_seq, rest, report)
            return stored, rejected + len(bad)
        if error.status == 413 and len(events) > 1:
            half = (len(events) + 1) // 2
            a = deliver(transport, experiment_id, producer_id, first_seq, events[:half], report)
            b = deliver(transport, experiment_id, producer_id, first_seq + half, events[half:], report)
            return a[0] + b[0], a[1] + b[1]
        raise


def replay(path: str, transport: Transport, report: Callable[[str, str], None]) -> int:
    """Sends a spool file's batches in order (creating its run first) and removes the file;
    returns the events stored. Raises RequestFailed, keeping the file, if the server fails."""
    with spool.locked(path, "r+") as f:
        if f is None:
            return 0
        header, batches = spool.read(f)
        if not header:
            os.unlink(path)
            return 0
        experiment_id, producer_id = header["experiment_id"], header["producer_id"]
        transport.request("POST", f"{API}/session", session_body(
            experiment_id, header.get("config"), header.get("total_epochs"), header.get("host")))
        stored = 0
        for first_seq, events in batches:
            stored += deliver(transport, experiment_id, producer_id, first_seq, events, report)[0]
        os.unlink(path)
        return stored
