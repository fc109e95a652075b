"""Hugging Face Transformers: ``CVSMCallback``, a ``transformers.TrainerCallback``, following
the Trainer of transformers 4.x: ``on_train_begin`` (args, state, control), ``on_log`` with
``logs`` (``eval_`` keys are evaluation, the rest training, as the W&B callback names them),
``on_step_end``, ``on_train_end``. Only the world's process zero reports.

    from transformers import Trainer
    from cvsm.integrations.transformers import CVSMCallback

    trainer = Trainer(model=model, args=args, train_dataset=train, eval_dataset=val,
                      callbacks=[CVSMCallback("bert-sst2")])
    trainer.train()

Stop from the web app sets ``control.should_training_stop``; pause holds the trainer after
the current step until resumed. The class is built when first used, so importing this
module imports no Transformers.
"""

from typing import Any, Dict, Optional

import cvsm

from . import numbers, plain, run_id


def rename(logs: Dict[str, Any]) -> Dict[str, float]:
    out: Dict[str, float] = {}
    for key, value in numbers(logs).items():
        if key.startswith("eval_"):
            out["eval/" + key[len("eval_"):]] = value
        elif key.startswith("test_"):
            out["test/" + key[len("test_"):]] = value
        elif key != "epoch":
            out["train/" + key] = value
    return out


class _Callback:
    def __init__(self, experiment_id: Optional[str] = None, **init_options: Any):
        self._experiment_id = experiment_id
        self._init_options = init_options
        self._run: Optional[cvsm.Run] = None

    @property
    def run(self) -> Optional["cvsm.Run"]:
        return self._run

    def on_train_begin(self, args, state, control, **kwargs):
        if not state.is_world_process_zero or self._run is not None:
            return
        to_dict = getattr(args, "to_sanitized_dict", None) or getattr(args, "to_dict", None)
        config = plain(to_dict()) if to_dict else {}
        name = self._experiment_id or run_id(getattr(args, "run_name", None) or getattr(args, "output_dir", None))
        epochs = getattr(args, "num_train_epochs", None)
        self._run = cvsm.init(name, config=config, total_epochs=int(epochs) if epochs else None, **self._init_options)

    def on_log(self, args, state, control, logs=None, **kwargs):
        if self._run is None or not logs:
            return
        values = rename(logs)
        if values:
            self._run.metrics(values, epoch=int(state.epoch or 0), step=state.global_step)
        self._obey(control)

    def on_step_end(self, args, state, control, **kwargs):
        self._obey(control)

    def on_train_end(self, args, state, control, **kwargs):
        if self._run is None:
            return
        self._run.finish("stopped" if self._run.should_stop else "completed")

    def _obey(self, control) -> None:
        run = self._run
        if run is None:
            return
        if run.obey_controls():
            control.should_training_stop = True


#: The events transformers' CallbackHandler calls on every callback (TrainerCallback has them all).
EVENTS = ("on_init_end", "on_train_begin", "on_train_end", "on_epoch_begin", "on_epoch_end", "on_step_begin",
          "on_pre_optimizer_step", "on_optimizer_step", "on_substep_end", "on_step_end", "on_evaluate",
          "on_predict", "on_save", "on_log", "on_prediction_step")


def _nothing(self, args, state, control, **kwargs):
    return None


def _build():
    try:
        from transformers import TrainerCallback
    except ImportError:
        # Without transformers installed (a trainer that only duck-types): the same no-op events.
        TrainerCallback = type("TrainerCallback", (), {event: _nothing for event in EVENTS})

    class CVSMCallback(_Callback, TrainerCallback):  # type: ignore[misc, valid-type]
        pass

    CVSMCallback.__module__ = __name__
    CVSMCallback.__qualname__ = "CVSMCallback"
    return CVSMCallback


def __getattr__(name: str) -> Any:
    if name == "CVSMCallback":
        cls = _build()
        globals()["CVSMCallback"] = cls
        return cls
    raise AttributeError(name)
