"""Driven by bench/pythonClient.bench.ts: one round of the Python client against a running
server. Prints one JSON line: the time on the calling thread per run.metrics() call,
its CPU time on that thread per call, and the seconds from the first call until every
event was stored."""

import argparse
import json
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "clients", "python"))
import cvsm  # noqa: E402


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--server", required=True)
    p.add_argument("--run", required=True)
    p.add_argument("--reports", type=int, default=20000)
    p.add_argument("--values", type=int, default=10)
    p.add_argument("--batch", type=int, default=5000)
    a = p.parse_args()
    names = ["train/box_loss"] + [f"metric_{i}" for i in range(1, a.values)]
    # Made before timing: the loop measures run.metrics() alone, as a training step would call it.
    reports = [{n: 1 / (i + k + 1) for k, n in enumerate(names)} for i in range(a.reports)]
    run = cvsm.init(a.run, server=a.server, spool_dir=False, batch_size=a.batch, queue_size=a.reports + 10_000,
                    status=None)
    for i in range(5000):  # warm-up: the connection, the server's caches
        run.metrics(reports[i % a.reports], epoch=0, step=i)
    assert run.flush(120)

    metrics = run.metrics
    cpu0 = time.thread_time()
    started = time.perf_counter()
    for i, values in enumerate(reports):
        metrics(values, epoch=1, step=i)
    calling = time.perf_counter() - started
    # The calling thread's own CPU: without the waits for the interpreter lock and the cores.
    calling_cpu = time.thread_time() - cpu0
    assert run.flush(600)
    seconds = time.perf_counter() - started
    stats = run.stats()
    run.finish()
    print(json.dumps({"calling_us": calling / a.reports * 1e6, "calling_cpu_us": calling_cpu / a.reports * 1e6,
                      "seconds": seconds, "delivered": stats["delivered"],
                      "rejected": stats["rejected"], "dropped": stats["dropped"]}))


if __name__ == "__main__":
    main()
