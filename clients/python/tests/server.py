"""The real monitor server for the Python tests: a fresh database (scripts/test-database.ts:
DATABASE_URL's PostgreSQL when set, else an embedded one) and `node --import tsx server.ts`
as a child process, which a test can SIGKILL and start again on the same port and data."""

import json
import os
import signal
import socket
import subprocess
import threading
import time
import urllib.parse
import urllib.request

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Database:
    """Held for the whole test session; dropped when this process's stdin pipe closes."""

    def __init__(self, count: int = 1):
        self.proc = subprocess.Popen(
            ["node", "--import", "tsx", "scripts/test-database.ts", str(count)], cwd=ROOT,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError("scripts/test-database.ts ended without a database")
        self.urls = json.loads(line)["database_urls"]

    def close(self):
        self.proc.stdin.close()
        self.proc.wait(60)


class Server:
    def __init__(self, database_url: str, port: int = 0, env=None):
        self.database_url = database_url
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = env or {}
        self.proc = None
        self.output = ""

    def start(self, timeout: float = 60.0) -> None:
        env = {**os.environ, "DATABASE_URL": self.database_url, "PORT": str(self.port), "HOST": "127.0.0.1",
               "NODE_ENV": "test", "WEB": "off", "COLLECTOR": "off", "LOG_LEVEL": "info", **self.env}
        self.proc = subprocess.Popen(["node", "--import", "tsx", "server.ts"], cwd=ROOT, env=env,
                                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                     text=True)
        listening = threading.Event()

        def read(proc):
            for line in proc.stderr:
                self.output += line
                if "listening on" in line:
                    listening.set()

        threading.Thread(target=read, args=(self.proc,), daemon=True).start()
        deadline = time.time() + timeout
        while not listening.wait(0.1):
            if self.proc.poll() is not None or time.time() > deadline:
                raise RuntimeError(f"server did not start:\n{self.output}")

    def kill(self) -> None:
        """SIGKILL, as a crash or the OOM killer: open requests are cut."""
        if self.proc:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(30)
            self.proc = None

    def stop(self) -> None:
        if self.proc:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.kill()
            self.proc = None

    # --- Reading back through the REST shim, as a user's script would -----------------------

    def get(self, path: str, headers=None):
        req = urllib.request.Request(self.url + path, headers=headers or {})
        with urllib.request.urlopen(req, timeout=30) as res:
            return json.loads(res.read().decode())

    def send(self, method: str, path: str, body=None, headers=None):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.url + path, data=data, method=method,
                                     headers={"Content-Type": "application/json", **(headers or {})})
        with urllib.request.urlopen(req, timeout=30) as res:
            return json.loads(res.read().decode())

    def trpc_query(self, procedure: str, value):
        """A tRPC query over HTTP (superjson's wire form is {"json": input})."""
        q = urllib.parse.quote(json.dumps({"json": value}))
        return self.get(f"/api/trpc/{procedure}?input={q}")["result"]["data"]["json"]

    def trpc_mutation(self, procedure: str, value):
        return self.send("POST", f"/api/trpc/{procedure}", {"json": value})["result"]["data"]["json"]

    def statuses(self, run: str):
        return [c["status"] for c in self.trpc_query("session.statusHistory", {"experimentId": run})]

    def logs(self, run: str, **query):
        q = "&".join(f"{k}={v}" for k, v in {"limit": 0, **query}.items())
        return self.get(f"/api/v1/training/logs/{run}?{q}")["data"]

    def metrics(self, run: str):
        return self.get(f"/api/v1/training/logs/{run}/metrics?limit=0")["data"]

    def info(self, run: str):
        return self.get(f"/api/v1/training/logs/{run}/info")["data"]
