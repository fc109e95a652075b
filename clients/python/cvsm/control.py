"""Pause, resume and stop from the web app, by long-poll on the control door (standard
library only, through any proxy that passes plain HTTP). Each poll also tells the server
the run is alive, so a quiet run is not shown stalled."""

import random
import threading
from typing import Callable, Dict, Any

from .settings import Settings
from .transport import API, RequestFailed, Transport, backoff_delay, quote_id


class ControlPoller:
    def __init__(self, settings: Settings, experiment_id: str, on_command: Callable[[Dict[str, Any]], None],
                 report: Callable[[str, str], None]):
        self.settings = settings
        self.path = f"{API}/{quote_id(experiment_id)}/control"
        self.on_command = on_command
        self.report = report
        self.stopped = threading.Event()
        self.last_id = 0
        self.thread = threading.Thread(target=self._loop, name=f"cvsm-control:{experiment_id}", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.stopped.set()

    def _loop(self) -> None:
        s = self.settings
        transport = Transport(s.server, s.api_key, s.control_wait + s.request_timeout)
        rng = random.Random()
        attempt = 0
        wait = f"{s.control_wait:g}"
        while not self.stopped.is_set():
            try:
                commands = transport.request("GET", f"{self.path}?after={self.last_id}&wait={wait}") or []
                attempt = 0
            except RequestFailed as error:
                if error.refused_key or not error.retryable and error.status != 404:
                    self.report("control", f"control requests stop: {error}")
                    return
                delay = error.retry_after if error.retry_after is not None else backoff_delay(
                    attempt, s.retry_initial, s.retry_max, rng)
                attempt += 1
                self.stopped.wait(delay)
                continue
            for command in commands:
                if self.stopped.is_set():
                    return
                if command["id"] > self.last_id:
                    self.last_id = command["id"]
                    self.on_command(command)
        transport.close()
