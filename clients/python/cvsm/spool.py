"""Events kept on disk while the server is out of reach, replayed in order when it is back,
by this process or a later one (``python -m cvsm sync``).

One file per run and producer: a header line (server, run, config), then one numbered
batch per line. The numbers are the producer's, so a replay of batches the server already
has stores nothing twice. Writers and replayers take an exclusive lock on the file."""

import json
import os
import re
from contextlib import contextmanager
from typing import Any, Dict, Iterator, List, Optional, Tuple

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; one process per spool folder there
    fcntl = None  # type: ignore[assignment]

from .wire import Batch

SUFFIX = ".cvsm.jsonl"


def spool_path(directory: str, experiment_id: str, producer_id: str) -> str:
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", experiment_id)[:80]
    return os.path.join(directory, f"{safe}.{producer_id}{SUFFIX}")


@contextmanager
def locked(path: str, mode: str) -> Iterator[Optional[Any]]:
    """The file opened and locked; None when it does not exist (mode "r+")."""
    while True:
        try:
            f = open(path, mode, encoding="utf-8")
        except FileNotFoundError:
            yield None
            return
        if fcntl is not None:
            fcntl.flock(f.fileno(), fcntl.LOCK_EX)
        # A replayer may have removed the file while we waited for its lock: open it again.
        if os.fstat(f.fileno()).st_nlink == 0:
            f.close()
            continue
        try:
            yield f
        finally:
            f.close()
        return


def append(path: str, header: Dict[str, Any], batches: List[Batch]) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with locked(path, "a") as f:
        assert f is not None
        lines = []
        if f.tell() == 0:
            lines.append(json.dumps(header))
        lines.extend(json.dumps({"first_seq": first, "events": events}) for first, events in batches)
        f.write("\n".join(lines) + "\n")
        f.flush()
        os.fsync(f.fileno())


def read(f) -> Tuple[Dict[str, Any], List[Batch]]:
    f.seek(0)
    header: Dict[str, Any] = {}
    batches: List[Batch] = []
    for i, line in enumerate(f):
        if not line.endswith("\n"):
            break  # a line cut by a crash mid-write: it was never acknowledged as spooled
        record = json.loads(line)
        if i == 0:
            header = record
        else:
            batches.append((record["first_seq"], record["events"]))
    return header, batches


def files(directory: str) -> List[str]:
    """Spool files oldest first."""
    try:
        names = [os.path.join(directory, n) for n in os.listdir(directory) if n.endswith(SUFFIX)]
    except FileNotFoundError:
        return []
    return sorted(names, key=lambda p: os.stat(p).st_mtime)
