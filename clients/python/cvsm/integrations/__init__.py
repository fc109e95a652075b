"""Framework integrations. Each module imports its framework only when its callback or
logger class is first used, so importing this package costs nothing."""

import os
import re
from typing import Any, Dict, Mapping, Optional

from ..wire import number


def is_rank_zero() -> bool:
    """The process that reports in distributed training (torchrun and SLURM set these)."""
    for name in ("RANK", "LOCAL_RANK", "SLURM_PROCID"):
        value = os.environ.get(name)
        if value not in (None, ""):
            try:
                return int(value) == 0
            except ValueError:
                return True
    return True


def run_id(*parts: Optional[str]) -> str:
    """An experiment id from path-like parts ("runs/detect", "train3" -> "runs-detect-train3")."""
    text = "-".join(str(p) for p in parts if p)
    text = re.sub(r"[\\/?#\x00-\x1f]+", "-", text).strip("-")
    return (text or "run")[:128]


def numbers(values: Mapping[str, Any]) -> Dict[str, float]:
    """The numeric items (tensors and numpy scalars included); the rest is left out."""
    out: Dict[str, float] = {}
    for key, value in values.items():
        v = number(value)
        if v is not None:
            out[str(key)] = v
    return out


def plain(value: Any, depth: int = 0) -> Any:
    """A config value as JSON can hold it (paths, enums and devices become strings)."""
    if depth > 8:
        return str(value)
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, Mapping):
        return {str(k): plain(v, depth + 1) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [plain(v, depth + 1) for v in value]
    return str(value)
