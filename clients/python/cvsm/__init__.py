"""CV Studio Monitor's Python client: live training logs, metrics and status, delivered
exactly once across outages, with pause and stop from the web app reaching the trainer.

    import cvsm
    with cvsm.init("yolov8n-coco-1", config={"lr": 0.01}, total_epochs=100) as run:
        run.log("loading COCO")
        run.metrics({"train/box_loss": 0.41}, epoch=1, step=1200)
"""

import time
from typing import Any, Callable, Mapping, Optional, Union

from .run import Run
from .settings import Settings

__all__ = ["init", "Run", "Settings"]
__version__ = "0.1.0"


def init(
    experiment_id: Optional[str] = None,
    config: Optional[Mapping[str, Any]] = None,
    total_epochs: Optional[int] = None,
    *,
    server: Optional[str] = None,
    api_key: Optional[str] = None,
    host: Optional[str] = None,
    capture_console: bool = False,
    status: Optional[str] = "running",
    spool_dir: Union[str, bool, None] = None,
    on_error: Optional[Callable[[str, str], None]] = None,
    **options: Any,
) -> Run:
    """Starts reporting a run; returns at once (the run is created on the server in the background).

    ``server`` and ``api_key`` default to CVSM_SERVER and CVSM_API_KEY; ``host`` to this
    machine's name. ``status`` is recorded first ("running"; None records none). Further
    options are the fields of :class:`cvsm.Settings` (queue_size, when_full, batch_size,
    flush_interval, spool_after, spool_events, exit_timeout, ...); ``spool_dir=False`` keeps
    undelivered events in memory only.
    """
    settings = Settings.resolve(server=server, api_key=api_key, spool_dir=spool_dir, on_error=on_error, **options)
    if experiment_id is None:
        experiment_id = time.strftime("run-%Y%m%d-%H%M%S")
    return Run(experiment_id, settings, config=config, total_epochs=total_epochs, host=host,
               capture_console=capture_console, status=status)
