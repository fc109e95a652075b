"""Trainers that make the calls the frameworks make, in the same order, with the same
attributes, on real torch tensors (torch is installed; the frameworks are not).

- Ultralytics: BaseTrainer._do_train of ultralytics main (2025) and 8.3: on_pretrain_routine_start,
  per batch on_train_batch_end (then `if self.stop: break`), `lr` set before
  on_train_epoch_end, validation, `epoch_time` set before on_fit_epoch_end, then
  `if self.stop: break`, on_train_end. ``tloss`` a dict (main) or a tensor (8.x).
- Lightning 2.x: log_hyperparams, save; on_train_batch_end(trainer, module, outputs, batch, i);
  log_metrics every log_every_n_steps with "epoch"; on_train_epoch_end; should_stop checked
  after each batch and epoch; finalize("success").
- Transformers 4.x: on_train_begin; per step on_step_end, then on_log (loss, grad_norm,
  learning_rate, epoch) every logging_steps and on_log with eval_ keys after each epoch;
  should_training_stop checked after each step; the final on_log (train_runtime, train_loss)
  and on_train_end.
"""

import time
from collections import defaultdict
from types import SimpleNamespace

import torch


class FakeYOLOTrainer:
    def __init__(self, epochs=3, batches=4, tloss="dict", project="coco", name="yolov8n"):
        self.args = SimpleNamespace(project=project, name=name, epochs=epochs, lr0=0.01, imgsz=640, batch=16,
                                    device=torch.device("cpu"), data="coco128.yaml")
        self.epochs = epochs
        self.batches = batches
        self.shape = tloss
        self.callbacks = defaultdict(list)
        self.loss_names = ("box_loss", "cls_loss", "dfl_loss")
        self.stop = False
        self.best_fitness = None
        self.metrics = {}
        self.batches_run = 0

    def add_callback(self, event, fn):
        self.callbacks[event].append(fn)

    def run_callbacks(self, event):
        for fn in self.callbacks.get(event, []):
            fn(self)

    def label_loss_items(self, loss_items=None, prefix="train"):
        keys = [f"{prefix}/{x}" for x in self.loss_names]
        if loss_items is None:
            return keys
        if isinstance(loss_items, dict):  # main
            return {f"{prefix}/{k}": round(float(v), 5) for k, v in loss_items.items()}
        return dict(zip(keys, [round(float(x), 5) for x in loss_items]))  # 8.x DetectionTrainer

    def train(self):
        self.run_callbacks("on_pretrain_routine_start")
        self.run_callbacks("on_pretrain_routine_end")
        self.epoch_time = None
        self.epoch_time_start = time.time()
        self.run_callbacks("on_train_start")
        for epoch in range(self.epochs):
            self.epoch = epoch
            self.run_callbacks("on_train_epoch_start")
            self.tloss = None
            for i in range(self.batches):
                self.run_callbacks("on_train_batch_start")
                items = torch.tensor([1.0, 2.0, 0.5]) / (epoch + 1 + i / 10)
                if self.shape == "dict":
                    loss_items = dict(zip(self.loss_names, items))
                    self.tloss = loss_items if self.tloss is None else {
                        k: (self.tloss[k] * i + v) / (i + 1) for k, v in loss_items.items()}
                else:
                    self.tloss = items if self.tloss is None else (self.tloss * i + items) / (i + 1)
                self.batches_run += 1
                self.run_callbacks("on_batch_end")
                self.run_callbacks("on_train_batch_end")
                if self.stop:
                    break
            self.lr = {f"lr/pg{i}": 0.01 / (epoch + 1) for i in range(3)}
            self.run_callbacks("on_train_epoch_end")
            map50 = 0.1 * (epoch + 1)
            self.metrics = {"metrics/precision(B)": 0.5, "metrics/mAP50(B)": map50, "metrics/mAP50-95(B)": map50 / 2,
                            "val/box_loss": torch.tensor(1.0 / (epoch + 1))}
            self.fitness = map50
            self.best_fitness = max(self.best_fitness or 0, map50)
            t = time.time()
            self.epoch_time = t - self.epoch_time_start
            self.epoch_time_start = t
            self.run_callbacks("on_fit_epoch_end")
            if self.stop:
                break
        self.run_callbacks("on_train_end")


class FakeLightningTrainer:
    def __init__(self, logger, callbacks=(), max_epochs=2, batches=5, log_every_n_steps=2):
        self.logger = logger
        self.callbacks = list(callbacks)
        self.max_epochs = max_epochs
        self.batches = batches
        self.log_every_n_steps = log_every_n_steps
        self.should_stop = False
        self.global_step = 0
        self.current_epoch = 0

    def _hook(self, name, *args):
        for cb in self.callbacks:
            fn = getattr(cb, name, None)
            if fn:
                fn(self, None, *args)

    def fit(self, hparams):
        try:
            self.logger.log_hyperparams(hparams)
            self.logger.save()
            self._hook("on_fit_start")
            self._hook("on_train_start")
            for epoch in range(self.max_epochs):
                self.current_epoch = epoch
                self._hook("on_train_epoch_start")
                for i in range(self.batches):
                    self._hook("on_train_batch_start", {"x": torch.zeros(1)}, i)
                    loss = torch.tensor(1.0 / (1 + self.global_step))
                    self.global_step += 1
                    self._hook("on_train_batch_end", {"loss": loss}, {"x": torch.zeros(1)}, i)
                    if self.global_step % self.log_every_n_steps == 0:
                        self.logger.log_metrics({"train_loss": loss, "epoch": epoch}, step=self.global_step - 1)
                    if self.should_stop:
                        break
                self.logger.log_metrics({"val_loss": torch.tensor(0.5 / (epoch + 1)), "epoch": epoch},
                                        step=self.global_step - 1)
                self._hook("on_train_epoch_end")
                if self.should_stop:
                    break
            self._hook("on_train_end")
        except BaseException:
            self.logger.finalize("failed")
            raise
        self.logger.finalize("success")


class FakeHFTrainer:
    def __init__(self, callbacks, epochs=2, steps_per_epoch=4, logging_steps=2, process_zero=True):
        self.callbacks = list(callbacks)
        self.args = SimpleNamespace(run_name="bert-sst2", output_dir="out/bert", num_train_epochs=epochs,
                                    learning_rate=5e-5, logging_steps=logging_steps,
                                    to_sanitized_dict=lambda: {"learning_rate": 5e-5, "num_train_epochs": epochs})
        self.state = SimpleNamespace(is_world_process_zero=process_zero, epoch=0.0, global_step=0,
                                     max_steps=epochs * steps_per_epoch)
        self.control = SimpleNamespace(should_training_stop=False, should_epoch_stop=False, should_log=False)
        self.epochs = epochs
        self.steps_per_epoch = steps_per_epoch

    def _call(self, event, **kwargs):
        for cb in self.callbacks:
            getattr(cb, event)(self.args, self.state, self.control, **kwargs)

    def train(self):
        self._call("on_train_begin")
        for epoch in range(self.epochs):
            self._call("on_epoch_begin")
            for step in range(self.steps_per_epoch):
                self._call("on_step_begin")
                self.state.global_step += 1
                self.state.epoch = epoch + (step + 1) / self.steps_per_epoch
                self._call("on_step_end")
                if self.state.global_step % self.args.logging_steps == 0:
                    self._call("on_log", logs={"loss": 1.0 / self.state.global_step, "grad_norm": torch.tensor(2.0),
                                               "learning_rate": 5e-5, "epoch": self.state.epoch})
                if self.control.should_training_stop:
                    break
            self._call("on_epoch_end")
            self._call("on_log", logs={"eval_loss": 0.4 / (epoch + 1), "eval_accuracy": 0.8 + epoch / 100,
                                       "eval_runtime": 1.5, "epoch": self.state.epoch})
            if self.control.should_training_stop:
                break
        self._call("on_log", logs={"train_runtime": 12.0, "train_loss": 0.3, "epoch": self.state.epoch})
        self._call("on_train_end")
