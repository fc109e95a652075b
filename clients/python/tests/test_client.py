"""The core client against a real server process, checked through the REST shim."""

import math
import os
import subprocess
import sys
import threading
import time

import pytest

import cvsm
from conftest import until
from proxy import CuttingProxy
from server import Server, free_port

PKG = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))


def messages(server, run):
    return [line["message"] for line in server.logs(run)]


def test_calls_return_at_once_and_events_go_in_few_ordered_batches(server, spool_dir):
    run = cvsm.init("py-batching", config={"lr": 0.01}, total_epochs=3, server=server.url, spool_dir=spool_dir)
    for i in range(3000):
        run.metrics({"loss": 1 / (i + 1)}, epoch=i // 1000, step=i)
        if i % 100 == 0:
            run.log(f"step {i}")
    assert run.finish()
    stats = run.stats()
    assert stats["delivered"] == 3000 + 30 + 2  # and the two status changes
    assert stats["batches"] <= 10
    rows = server.metrics("py-batching")
    assert [r["step"] for r in rows] == list(range(3000))
    assert messages(server, "py-batching") == [f"step {i}" for i in range(0, 3000, 100)]
    info = server.info("py-batching")
    assert info["status"] == "completed"
    assert info["config"] == {"lr": 0.01} and info["total_epochs"] == 3 and info["current_epoch"] == 2


def test_nan_and_infinity_round_trip(server, spool_dir):
    with cvsm.init("py-nan", server=server.url, spool_dir=spool_dir) as run:
        run.metrics({"loss": float("nan"), "up": float("inf"), "down": float("-inf"), "acc": 0.5}, epoch=1)
    (row,) = server.metrics("py-nan")
    assert math.isnan(row["loss"]) and row["up"] == math.inf and row["down"] == -math.inf and row["acc"] == 0.5


def test_exception_in_with_marks_the_run_failed_with_the_traceback(server, spool_dir):
    with pytest.raises(ZeroDivisionError):
        with cvsm.init("py-failed", server=server.url, spool_dir=spool_dir) as run:
            run.log("about to divide")
            1 / 0
    info = server.info("py-failed")
    assert info["status"] == "failed"
    critical = server.logs("py-failed", level="CRITICAL")
    assert len(critical) == 1 and "ZeroDivisionError" in critical[0]["message"] and "Traceback" in critical[0]["message"]


def test_every_event_once_in_order_through_sigkilled_server_restarts(own_server, spool_dir):
    own_server.start()
    run = cvsm.init("py-restart", server=own_server.url, spool_dir=spool_dir, retry_initial=0.05, retry_max=0.5)
    done = threading.Event()
    sent = []

    def train():
        for i in range(4000):
            run.log(f"line {i}")
            sent.append(i)
            if i % 400 == 0:
                time.sleep(0.05)
        done.set()

    t = threading.Thread(target=train)
    t.start()
    for _ in range(2):
        until(lambda: run.stats()["delivered"] > 0 or done.is_set(), "some delivery before the kill")
        own_server.kill()
        own_server.start()
    t.join()
    assert run.finish(timeout=60)
    assert run.stats()["retries"] > 0
    assert messages(own_server, "py-restart") == [f"line {i}" for i in range(4000)]
    assert own_server.statuses("py-restart") == ["queued", "running", "completed"]


def test_every_event_once_in_order_through_a_connection_cutting_proxy(server, spool_dir):
    proxy = CuttingProxy(server.port, cut_rate=0.2)
    try:
        run = cvsm.init("py-proxy", server=proxy.url, spool_dir=spool_dir, batch_size=50, flush_interval=0.01,
                        retry_initial=0.01, retry_max=0.1, spool_after=600)
        for i in range(1500):
            run.metrics({"x": float(i)}, epoch=1, step=i)
            if i % 10 == 0:
                run.log(f"line {i}")
        run.set_status("paused")
        run.set_status("running")
        assert run.finish(timeout=120)
    finally:
        proxy.close()
    assert proxy.cuts > 5
    assert [r["step"] for r in server.metrics("py-proxy")] == list(range(1500))
    assert messages(server, "py-proxy") == [f"line {i}" for i in range(0, 1500, 10)]
    assert server.statuses("py-proxy") == ["queued", "running", "paused", "running", "completed"]


def test_spool_while_the_server_is_down_then_sync_by_another_process(server, spool_dir):
    reports = []
    down = f"http://127.0.0.1:{free_port()}"
    run = cvsm.init("py-spool", config={"batch": 16}, total_epochs=2, server=down, spool_dir=spool_dir,
                    spool_after=0.2, retry_initial=0.05, retry_max=0.1, batch_size=100,
                    on_error=lambda k, m: reports.append(k))
    for i in range(500):
        run.metrics({"loss": float(i)}, epoch=1, step=i)
    until(lambda: run.stats()["spooled"] > 0, "events spooled to disk")
    run.log("after the spill")
    assert not run.finish(timeout=1.0)
    assert "spooled" in reports
    assert os.listdir(spool_dir)

    sync = subprocess.run([sys.executable, "-m", "cvsm", "sync", spool_dir, "--server", server.url],
                          cwd=PKG, env={**os.environ, "PYTHONPATH": PKG}, capture_output=True, text=True, timeout=60)
    assert sync.returncode == 0, sync.stdout + sync.stderr
    assert "503 event(s) stored" in sync.stdout
    assert not os.listdir(spool_dir)
    assert [r["step"] for r in server.metrics("py-spool")] == list(range(500))
    assert messages(server, "py-spool") == ["after the spill"]
    info = server.info("py-spool")
    assert info["status"] == "completed" and info["config"] == {"batch": 16} and info["total_epochs"] == 2

    # Syncing again sends nothing twice.
    again = subprocess.run([sys.executable, "-m", "cvsm", "sync", spool_dir, "--server", server.url],
                           cwd=PKG, env={**os.environ, "PYTHONPATH": PKG}, capture_output=True, text=True, timeout=60)
    assert "nothing to sync" in again.stdout


def test_a_run_replays_its_own_spool_when_the_server_comes_back(own_server, spool_dir):
    run = cvsm.init("py-comeback", server=own_server.url, spool_dir=spool_dir, spool_after=0.1,
                    retry_initial=0.05, retry_max=0.2)
    for i in range(300):
        run.log(f"line {i}")
    until(lambda: run.stats()["spooled"] > 0, "events spooled to disk")
    for i in range(300, 600):
        run.log(f"line {i}")
    own_server.start()
    assert run.finish(timeout=60)
    assert messages(own_server, "py-comeback") == [f"line {i}" for i in range(600)]
    assert not os.listdir(spool_dir)


def test_host_name_goes_with_the_run(server, spool_dir):
    with cvsm.init("py-host", server=server.url, spool_dir=spool_dir, host="gpu-node-3"):
        pass
    assert server.trpc_query("session.get", {"experimentId": "py-host"})["host"] == "gpu-node-3"


def test_console_capture_turns_printed_lines_into_log_lines(server, spool_dir, capsys):
    with cvsm.init("py-console", server=server.url, spool_dir=spool_dir, capture_console=True):
        print("epoch 1 done")
        print("oops", file=sys.stderr)
    assert "epoch 1 done" in capsys.readouterr().out
    lines = [(line["level"], line["message"], line["source"]) for line in server.logs("py-console")]
    assert ("INFO", "epoch 1 done", "stdout") in lines and ("ERROR", "oops", "stderr") in lines


def test_full_queue_drops_debug_first_and_says_so(own_server, spool_dir):
    run = cvsm.init("py-full", server=own_server.url, spool_dir=False, queue_size=100, status=None,
                    retry_initial=0.05, retry_max=0.1)
    for i in range(150):
        run.debug(f"debug {i}")
    for i in range(50):
        run.warning(f"warn {i}")
    assert run.stats()["dropped"] == 100
    own_server.start()
    assert run.finish(timeout=30)  # its final status takes the place of one more DEBUG line
    got = messages(own_server, "py-full")
    assert got[:99] == [f"debug {i}" for i in range(101, 150)] + [f"warn {i}" for i in range(50)]
    assert got[99:] == ["cvsm queue was full; dropped 101 DEBUG event(s)"]


def test_refused_key_is_reported_not_retried_and_kept_for_sync(databases, spool_dir, tmp_path):
    key = subprocess.run(["node", "--import", "tsx", "scripts/keys.ts", "create", "--name", "py", "--scope", "write"],
                         cwd=os.path.join(PKG, "..", ".."), env={**os.environ, "DATABASE_URL": databases[1]},
                         capture_output=True, text=True, timeout=60)
    assert key.returncode == 0, key.stderr
    good = key.stdout.strip().split()[-1]
    guarded = Server(databases[1])
    guarded.start()
    try:
        reports = []
        started = time.time()
        run = cvsm.init("py-key", server=guarded.url, api_key="cvsm_wrong", spool_dir=spool_dir,
                        on_error=lambda kind, message: reports.append(kind))
        run.log("kept for later")
        until(lambda: "refused" in reports, "the refusal reported")
        assert not run.finish(timeout=1.0)
        assert time.time() - started < 10
        assert reports.count("refused") == 1
        assert os.listdir(spool_dir)

        sync = subprocess.run([sys.executable, "-m", "cvsm", "sync", spool_dir, "--server", guarded.url,
                               "--api-key", good], cwd=PKG, env={**os.environ, "PYTHONPATH": PKG},
                              capture_output=True, text=True, timeout=60)
        assert sync.returncode == 0, sync.stdout
        logs = guarded.get("/api/v1/training/logs/py-key", headers={"Authorization": f"Bearer {good}"})["data"]
        assert [line["message"] for line in logs] == ["kept for later"]
    finally:
        guarded.stop()


def request_control(server, run, action):
    return server.trpc_mutation("session.requestControl", {"experimentId": run, "action": action})


def test_pause_resume_and_stop_from_the_web_app_reach_the_trainer(server, spool_dir):
    run = cvsm.init("py-control", server=server.url, spool_dir=spool_dir, control_wait=5)
    seen = []
    run.on_control(lambda command: seen.append(command["action"]))
    run.log("training")
    assert run.flush(10)
    request_control(server, "py-control", "pause")
    until(lambda: run.pause_requested, "the pause request to reach the trainer")
    resumer = threading.Timer(0.5, lambda: request_control(server, "py-control", "resume"))
    resumer.start()
    assert run.wait_if_paused(timeout=20)
    request_control(server, "py-control", "stop")
    until(lambda: run.should_stop, "the stop request to reach the trainer")
    run.finish()
    assert seen == ["pause", "resume", "stop"]
    assert server.statuses("py-control") == ["queued", "running", "paused", "running", "stopped"]


def test_an_uncaught_exception_records_the_run_failed_and_an_ending_script_flushes(server, spool_dir):
    script = (
        "import cvsm\n"
        "run = cvsm.init('py-uncaught')\n"
        "for i in range(100): run.log(f'line {i}')\n"
        "raise RuntimeError('loss exploded')\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "PYTHONPATH": PKG, "CVSM_SERVER": server.url, "CVSM_SPOOL_DIR": spool_dir})
    assert done.returncode == 1 and "RuntimeError: loss exploded" in done.stderr
    info = server.info("py-uncaught")
    assert info["status"] == "failed"
    lines = server.logs("py-uncaught")
    assert [line["message"] for line in lines[:100]] == [f"line {i}" for i in range(100)]
    assert lines[100]["level"] == "CRITICAL" and "loss exploded" in lines[100]["message"]

    # Without finish() and without an error, what was queued is still delivered at exit.
    script = "import cvsm\nrun = cvsm.init('py-atexit', status=None)\nfor i in range(50): run.log(f'line {i}')\n"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "PYTHONPATH": PKG, "CVSM_SERVER": server.url, "CVSM_SPOOL_DIR": spool_dir})
    assert done.returncode == 0, done.stderr
    assert messages(server, "py-atexit") == [f"line {i}" for i in range(50)]


def test_the_queue_spills_to_disk_past_its_memory_limit_long_before_the_time_limit(spool_dir):
    down = f"http://127.0.0.1:{free_port()}"
    run = cvsm.init("py-memory", server=down, spool_dir=spool_dir, spool_after=600, spool_bytes=20_000,
                    retry_initial=0.05, retry_max=0.1, status=None)
    for i in range(100):
        run.log("x" * 200)
    until(lambda: run.stats()["spooled"] > 0, "events spooled past the memory limit")
    assert run.stats()["queued"] < 100
    run.finish(timeout=0.5)
    assert run.stats()["spooled"] == 101 and run.stats()["lost"] == 0
