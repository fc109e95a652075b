"""A real PyTorch training loop on CPU (examples/pytorch_train.py) reporting through the
client, in a process of its own; its run is checked through the REST shim."""

import os
import subprocess
import sys

from server import ROOT

PKG = os.path.join(ROOT, "clients", "python")


def test_a_pytorch_training_loop_reports_its_run(server, spool_dir):
    done = subprocess.run(
        [sys.executable, os.path.join(ROOT, "examples", "pytorch_train.py"), "--run", "torch-mlp", "--epochs", "4",
         "--steps", "16"],
        env={**os.environ, "PYTHONPATH": PKG, "CVSM_SERVER": server.url, "CVSM_SPOOL_DIR": spool_dir},
        capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    info = server.info("torch-mlp")
    assert info["status"] == "completed" and info["total_epochs"] == 4 and info["current_epoch"] == 4
    assert info["config"]["optimizer"] == "SGD"
    rows = server.metrics("torch-mlp")
    train = [r for r in rows if "train/loss" in r]
    val = [r for r in rows if "val/accuracy" in r]
    assert [r["step"] for r in train] == list(range(1, 65))
    assert [r["epoch"] for r in val] == [1, 2, 3, 4]
    # It learned: the loss fell and the rule is mostly found.
    assert train[-1]["train/loss"] < train[0]["train/loss"]
    assert val[-1]["val/accuracy"] > 0.8
    lines = [line["message"] for line in server.logs("torch-mlp")]
    assert lines[0].startswith("training on 2048 samples") and len(lines) == 5
