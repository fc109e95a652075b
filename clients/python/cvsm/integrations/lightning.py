"""PyTorch Lightning: ``CVSMLogger``, a ``lightning.pytorch.loggers.Logger`` (or
``pytorch_lightning``'s, whichever is installed), following Lightning 2.x: the trainer calls
``log_hyperparams`` once at fit start, ``log_metrics(metrics, step)`` every
``log_every_n_steps`` (``metrics["epoch"]`` included), and ``finalize("success" | "failed")``
at the end. Only rank zero reports.

    import lightning.pytorch as pl
    from cvsm.integrations.lightning import CVSMLogger

    logger = CVSMLogger("mnist-resnet18", total_epochs=10)
    trainer = pl.Trainer(max_epochs=10, logger=logger, callbacks=[logger])
    trainer.fit(model, datamodule)

Passed in ``callbacks`` too, it is also a Callback: stop from the web app sets
``trainer.should_stop`` and pause holds the trainer between batches until resumed.

The class is built when first used, so importing this module imports no Lightning.
"""

from typing import Any

from ._lightning_logger import build


def __getattr__(name: str) -> Any:
    if name == "CVSMLogger":
        cls = build()
        globals()["CVSMLogger"] = cls
        return cls
    raise AttributeError(name)
