"""Ultralytics YOLO: callbacks for ``model.add_callback(event, fn)`` on the hooks its own
logger integrations use. Follows the trainer of ultralytics 8.3 (``tloss`` a tensor, with
``loss_names``) and of current main (``tloss`` a dict, ``lr`` and ``epoch_time`` set
before ``on_fit_epoch_end``); both shapes work.

    from ultralytics import YOLO
    from cvsm.integrations.ultralytics import callbacks

    model = YOLO("yolov8n.pt")
    for event, fn in callbacks.items():
        model.add_callback(event, fn)
    model.train(data="coco128.yaml", epochs=100, project="coco", name="yolov8n")

Stop from the web app sets ``trainer.stop`` (the trainer ends after the current batch on
main, after the epoch on 8.x); pause holds the trainer between batches until resumed.
"""

from typing import Any, Callable, Dict, Optional

import cvsm

from . import is_rank_zero, numbers, plain, run_id

#: Runs by trainer, while it trains.
_runs: Dict[int, "cvsm.Run"] = {}


def _losses(trainer) -> Dict[str, float]:
    tloss = getattr(trainer, "tloss", None)
    if tloss is None:
        return {}
    try:
        return numbers(trainer.label_loss_items(tloss, prefix="train"))
    except Exception:
        # A trainer without per-loss labels: name the items ourselves.
        if isinstance(tloss, dict):
            return numbers({f"train/{k}": v for k, v in tloss.items()})
        names = getattr(trainer, "loss_names", None) or []
        try:
            items = list(tloss)
        except TypeError:
            return numbers({"train/loss": tloss})
        return numbers({f"train/{n}": v for n, v in zip(names, items)})


def _obey(trainer, run: "cvsm.Run") -> None:
    if run.obey_controls():
        trainer.stop = True


def make_callbacks(**init_options: Any) -> Dict[str, Callable]:
    """The callbacks, with ``cvsm.init`` options (server, api_key, ...)."""

    def on_pretrain_routine_start(trainer) -> None:
        if not is_rank_zero():
            return
        args = trainer.args
        config = plain(vars(args))
        _runs[id(trainer)] = cvsm.init(
            run_id(getattr(args, "project", None), getattr(args, "name", None)),
            config=config,
            total_epochs=int(getattr(trainer, "epochs", 0) or 0),
            **init_options,
        )

    def on_train_batch_end(trainer) -> None:
        run = _runs.get(id(trainer))
        if run:
            _obey(trainer, run)

    def on_train_epoch_end(trainer) -> None:
        run = _runs.get(id(trainer))
        if not run:
            return
        epoch = trainer.epoch + 1
        values = {**_losses(trainer), **numbers(getattr(trainer, "lr", None) or {})}
        if values:
            run.metrics(values, epoch=epoch)
        _obey(trainer, run)

    def on_fit_epoch_end(trainer) -> None:
        run = _runs.get(id(trainer))
        if not run:
            return
        epoch = trainer.epoch + 1
        values = numbers(getattr(trainer, "metrics", None) or {})
        epoch_time = getattr(trainer, "epoch_time", None)
        if epoch_time is not None:
            values["epoch_time"] = float(epoch_time)
        if values:
            run.metrics(values, epoch=epoch)
        run.log(f"epoch {epoch}/{trainer.epochs} done" + (f" in {epoch_time:.1f} s" if epoch_time else ""))
        _obey(trainer, run)

    def on_train_end(trainer) -> None:
        run = _runs.pop(id(trainer), None)
        if not run:
            return
        best = getattr(trainer, "best_fitness", None)
        best_value: Optional[float] = numbers({"b": best}).get("b") if best is not None else None
        message = f"best fitness {best_value:.5g}" if best_value is not None else None
        if message:
            run.log(message)
        run.finish("stopped" if run.should_stop else "completed", message)

    return {
        "on_pretrain_routine_start": on_pretrain_routine_start,
        "on_train_batch_end": on_train_batch_end,
        "on_train_epoch_end": on_train_epoch_end,
        "on_fit_epoch_end": on_fit_epoch_end,
        "on_train_end": on_train_end,
    }


#: The callbacks with the defaults (CVSM_SERVER, CVSM_API_KEY).
callbacks = make_callbacks()
