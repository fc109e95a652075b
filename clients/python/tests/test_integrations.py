"""Each integration driven by a trainer that calls it as its framework does (fake_trainers.py),
checked through the REST shim."""

import os
import subprocess
import sys

import pytest

from conftest import until
from fake_trainers import FakeHFTrainer, FakeLightningTrainer, FakeYOLOTrainer

PKG = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))


@pytest.fixture(autouse=True)
def to_server(server, spool_dir, monkeypatch):
    monkeypatch.setenv("CVSM_SERVER", server.url)
    monkeypatch.setenv("CVSM_SPOOL_DIR", spool_dir)


def request_control(server, run, action):
    server.trpc_mutation("session.requestControl", {"experimentId": run, "action": action})


def test_importing_the_integrations_imports_no_framework():
    code = ("import sys, cvsm.integrations.ultralytics, cvsm.integrations.lightning, cvsm.integrations.transformers;"
            "heavy = [m for m in ('torch', 'lightning', 'pytorch_lightning', 'transformers', 'ultralytics') "
            "if m in sys.modules]; print(heavy); sys.exit(1 if heavy else 0)")
    done = subprocess.run([sys.executable, "-c", code], env={**os.environ, "PYTHONPATH": PKG},
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("shape", ["dict", "tensor"])
def test_ultralytics_callbacks_report_losses_lr_metrics_and_the_end(server, shape):
    from cvsm.integrations.ultralytics import make_callbacks

    trainer = FakeYOLOTrainer(epochs=3, tloss=shape, project="coco", name=f"yolov8n-{shape}")
    for event, fn in make_callbacks().items():
        trainer.add_callback(event, fn)
    trainer.train()
    run = f"coco-yolov8n-{shape}"
    info = server.info(run)
    assert info["status"] == "completed" and info["total_epochs"] == 3 and info["current_epoch"] == 3
    assert info["config"]["lr0"] == 0.01 and info["config"]["device"] == "cpu"
    rows = server.metrics(run)
    train = [r for r in rows if "train/box_loss" in r]
    fit = [r for r in rows if "metrics/mAP50(B)" in r]
    assert [r["epoch"] for r in train] == [1, 2, 3] and [r["epoch"] for r in fit] == [1, 2, 3]
    assert set(train[0]) >= {"train/box_loss", "train/cls_loss", "train/dfl_loss", "lr/pg0", "lr/pg2"}
    assert fit[2]["metrics/mAP50(B)"] == pytest.approx(0.3) and fit[0]["val/box_loss"] == 1.0 and "epoch_time" in fit[0]
    assert "best fitness 0.3" in [line["message"] for line in server.logs(run)]


def test_stop_from_the_web_app_sets_trainer_stop(server):
    from cvsm.integrations.ultralytics import _runs, make_callbacks

    trainer = FakeYOLOTrainer(epochs=50, batches=2, name="yolov8n-stop")
    for event, fn in make_callbacks(control_wait=2).items():
        trainer.add_callback(event, fn)

    def ask_stop(t):
        # As a user in the web app would: stop, then the trainer obeys at its next hook.
        if t.epoch == 1:
            run = _runs[id(t)]
            assert run.flush(10)
            request_control(server, "coco-yolov8n-stop", "stop")
            until(lambda: run.should_stop, "the stop request to reach the trainer")

    trainer.add_callback("on_train_epoch_start", ask_stop)
    trainer.train()
    assert trainer.stop and trainer.epoch == 1 and trainer.batches_run == 3
    assert server.info("coco-yolov8n-stop")["status"] == "stopped"


def test_lightning_logger_reports_hyperparams_metrics_and_final_status(server):
    from cvsm.integrations.lightning import CVSMLogger

    logger = CVSMLogger("lightning-mnist", total_epochs=2)
    assert logger.name == "lightning-mnist"
    FakeLightningTrainer(logger, callbacks=[logger], max_epochs=2, batches=5, log_every_n_steps=2).fit(
        {"lr": 0.001, "hidden": 64})
    info = server.info("lightning-mnist")
    assert info["status"] == "completed" and info["config"] == {"lr": 0.001, "hidden": 64}
    rows = server.metrics("lightning-mnist")
    assert [(r["epoch"], r["step"]) for r in rows if "train_loss" in r] == [(0, 1), (0, 3), (1, 5), (1, 7), (1, 9)]
    assert [r["epoch"] for r in rows if "val_loss" in r] == [0, 1]


def test_lightning_failure_and_stop(server):
    from cvsm.integrations.lightning import CVSMLogger

    logger = CVSMLogger("lightning-fails")

    class Boom:
        def on_train_batch_end(self, trainer, *args):
            if trainer.global_step == 3:
                raise RuntimeError("CUDA out of memory")

    with pytest.raises(RuntimeError):
        FakeLightningTrainer(logger, callbacks=[logger, Boom()]).fit({})
    assert server.info("lightning-fails")["status"] == "failed"

    logger = CVSMLogger("lightning-stop", control_wait=2)

    class AskStop:
        def on_train_batch_end(self, trainer, *args):
            if trainer.global_step == 2:
                assert logger.experiment.flush(10)
                request_control(server, "lightning-stop", "stop")
                until(lambda: logger.experiment.should_stop, "the stop request")

    trainer = FakeLightningTrainer(logger, callbacks=[AskStop(), logger], max_epochs=20)
    trainer.fit({})
    assert trainer.should_stop and trainer.global_step == 2
    assert server.info("lightning-stop")["status"] == "stopped"


def test_lightning_reports_from_rank_zero_only(server, monkeypatch):
    from cvsm.integrations.lightning import CVSMLogger

    monkeypatch.setenv("RANK", "1")
    logger = CVSMLogger("lightning-rank1")
    FakeLightningTrainer(logger, callbacks=[logger]).fit({"lr": 1})
    assert logger.experiment is None
    assert all(s["experiment_id"] != "lightning-rank1" for s in server.get("/api/v1/training/logs/sessions")["data"])


def test_transformers_callback_reports_train_and_eval_logs(server):
    from cvsm.integrations.transformers import CVSMCallback

    callback = CVSMCallback()
    FakeHFTrainer([callback], epochs=2, steps_per_epoch=4, logging_steps=2).train()
    info = server.info("bert-sst2")
    assert info["status"] == "completed" and info["total_epochs"] == 2
    assert info["config"] == {"learning_rate": 5e-5, "num_train_epochs": 2}
    rows = server.metrics("bert-sst2")
    train = [r for r in rows if "train/loss" in r]
    assert [r["step"] for r in train] == [2, 4, 6, 8]
    assert train[0]["train/grad_norm"] == 2.0 and train[0]["train/learning_rate"] == 5e-5
    evals = [r for r in rows if "eval/loss" in r]
    assert [r["epoch"] for r in evals] == [1, 2] and evals[1]["eval/accuracy"] == pytest.approx(0.81)
    assert rows[-1]["train/train_loss"] == 0.3


def test_transformers_stop_and_process_zero_only(server):
    from cvsm.integrations.transformers import CVSMCallback

    callback = CVSMCallback("hf-stop", control_wait=2)

    class AskStop:
        def __getattr__(self, name):
            return lambda *a, **k: None

        def on_step_end(self, args, state, control, **kwargs):
            if state.global_step == 3:
                assert callback.run.flush(10)
                request_control(server, "hf-stop", "stop")
                until(lambda: callback.run.should_stop, "the stop request")

    trainer = FakeHFTrainer([AskStop(), callback], epochs=10)
    trainer.train()
    assert trainer.control.should_training_stop and trainer.state.global_step == 3
    assert server.info("hf-stop")["status"] == "stopped"

    other = CVSMCallback("hf-rank1")
    FakeHFTrainer([other], process_zero=False).train()
    assert other.run is None
