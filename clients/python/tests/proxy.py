"""A TCP proxy that cuts connections at random, either before a chunk passes or right after
it did (the server acted, its answer is lost): every kind of failure a client meets."""

import random
import socket
import threading


class CuttingProxy:
    def __init__(self, target_port: int, cut_rate: float, seed: int = 7):
        self.target_port = target_port
        self.cut_rate = cut_rate
        self.cuts = 0
        self.rng = random.Random(seed)
        self.lock = threading.Lock()
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(64)
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        self.closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while not self.closed:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(("127.0.0.1", self.target_port))
            except OSError:
                client.close()
                continue
            pair = [client, upstream]
            threading.Thread(target=self._relay, args=(client, upstream, pair), daemon=True).start()
            threading.Thread(target=self._relay, args=(upstream, client, pair), daemon=True).start()

    def _cut(self, pair):
        for s in pair:
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            s.close()

    def _relay(self, src, dst, pair):
        while True:
            try:
                chunk = src.recv(65536)
            except OSError:
                chunk = b""
            if not chunk:
                self._cut(pair)
                return
            with self.lock:
                cut = self.rng.random() < self.cut_rate
                after = self.rng.random() < 0.5
                if cut:
                    self.cuts += 1
            try:
                if not cut or after:
                    dst.sendall(chunk)
            except OSError:
                self._cut(pair)
                return
            if cut:
                self._cut(pair)
                return

    def close(self):
        self.closed = True
        self.listener.close()
