"""CVSMLogger's body, on the Logger and Callback bases of the Lightning that is installed
(or plain ones, so the logger works with trainers that only duck-type)."""

import argparse
import time
from typing import Any, Dict, Mapping, Optional

import cvsm

from . import is_rank_zero, numbers, plain

STATUS = {"success": "completed", "finished": "completed", "failed": "failed"}


def _bases():
    for logger_mod, callback_mod in (("lightning.pytorch.loggers", "lightning.pytorch"),
                                     ("pytorch_lightning.loggers", "pytorch_lightning")):
        try:
            loggers = __import__(logger_mod, fromlist=["Logger"])
            callbacks = __import__(callback_mod, fromlist=["Callback"])
            return loggers.Logger, callbacks.Callback
        except ImportError:
            continue
    return object, object


def build():
    Logger, Callback = _bases()
    bases = tuple(dict.fromkeys(b for b in (Logger, Callback) if b is not object)) or (object,)

    class CVSMLogger(*bases):  # type: ignore[misc]
        def __init__(self, experiment_id: Optional[str] = None, total_epochs: Optional[int] = None,
                     **init_options: Any):
            if Logger is not object:
                Logger.__init__(self)
            self._experiment_id = experiment_id
            self._total_epochs = total_epochs
            self._init_options = init_options
            self._config: Dict[str, Any] = {}
            self._run: Optional[cvsm.Run] = None
            # Fixed from the start: checkpoint folders may be named after it before the run exists.
            self._version = time.strftime("%Y%m%d-%H%M%S")

        # --- Logger ---------------------------------------------------------------------

        @property
        def name(self) -> str:
            return self._experiment_id or "lightning"

        @property
        def version(self) -> str:
            return self._version

        @property
        def save_dir(self) -> Optional[str]:
            return None

        @property
        def experiment(self) -> Optional["cvsm.Run"]:
            """The cvsm run (None off rank zero)."""
            return self._ensure_run()

        def log_hyperparams(self, params: Any, *args: Any, **kwargs: Any) -> None:
            if not is_rank_zero():
                return
            if isinstance(params, argparse.Namespace):
                params = vars(params)
            self._config.update(plain(dict(params or {})) if isinstance(params, Mapping) else {"hparams": str(params)})
            if self._run is None:
                self._ensure_run()
            else:
                self._run.log("hyperparameters: " + ", ".join(f"{k}={v}" for k, v in self._config.items())[:4000])

        def log_metrics(self, metrics: Mapping[str, Any], step: Optional[int] = None) -> None:
            run = self._ensure_run()
            if run is None:
                return
            values = numbers(metrics)
            epoch = values.pop("epoch", None)
            if values:
                run.metrics(values, epoch=None if epoch is None else int(epoch), step=step)

        def save(self) -> None:
            pass

        def finalize(self, status: str) -> None:
            if self._run is None or self._run.finished:
                return
            final = STATUS.get(status, "completed")
            if final == "completed" and self._run.should_stop:
                final = "stopped"
            self._run.finish(final)

        # --- Callback: the web app's control reaches the trainer ----------------------------

        def on_train_batch_end(self, trainer, *args: Any, **kwargs: Any) -> None:
            self._obey(trainer)

        def on_train_epoch_end(self, trainer, *args: Any, **kwargs: Any) -> None:
            self._obey(trainer)

        def _obey(self, trainer) -> None:
            run = self._run
            if run is None:
                return
            if run.obey_controls():
                trainer.should_stop = True

        def _ensure_run(self) -> Optional["cvsm.Run"]:
            if self._run is None and is_rank_zero():
                self._run = cvsm.init(self._experiment_id, config=self._config or None,
                                      total_epochs=self._total_epochs, **self._init_options)
            return self._run

    CVSMLogger.__module__ = "cvsm.integrations.lightning"
    CVSMLogger.__qualname__ = "CVSMLogger"
    return CVSMLogger
