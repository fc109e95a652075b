"""HTTP to the server's REST doors on one kept-alive connection, JSON as Python writes it
(NaN and Infinity included), and what a failure means: retry later, or give up."""

import email.utils
import http.client
import json
import socket
import time
import urllib.parse
from typing import Any, Dict, List, Optional

API = "/api/v1/training/logs"


class RequestFailed(Exception):
    def __init__(self, message: str, status: Optional[int] = None, retry_after: Optional[float] = None,
                 details: Optional[List[Dict[str, Any]]] = None):
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after
        self.details = details or []

    @property
    def retryable(self) -> bool:
        """No answer, a timeout, throttling or a server fault may succeed later."""
        s = self.status
        return s is None or s in (408, 429) or s >= 500

    @property
    def refused_key(self) -> bool:
        """A missing, wrong or revoked key: retrying would only stall the run."""
        return self.status in (401, 403)


def parse_retry_after(value: Optional[str]) -> Optional[float]:
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        return max(0.0, email.utils.parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None


def quote_id(experiment_id: str) -> str:
    return urllib.parse.quote(experiment_id, safe="")


class Transport:
    """One connection, used by one thread at a time; reopened after any failure."""

    def __init__(self, server: str, api_key: Optional[str], timeout: float):
        url = urllib.parse.urlsplit(server)
        if url.scheme not in ("http", "https"):
            raise ValueError(f"server must be an http:// or https:// URL, not {server!r}")
        self._https = url.scheme == "https"
        self._host = url.hostname or "127.0.0.1"
        self._port = url.port
        self._prefix = url.path.rstrip("/")
        self._timeout = timeout
        self._headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if api_key:
            self._headers["Authorization"] = f"Bearer {api_key}"
        self._conn: Optional[http.client.HTTPConnection] = None

    def _connection(self, timeout: float) -> http.client.HTTPConnection:
        if self._conn is None:
            cls = http.client.HTTPSConnection if self._https else http.client.HTTPConnection
            self._conn = cls(self._host, self._port, timeout=timeout)
        self._conn.timeout = timeout
        if self._conn.sock is not None:
            self._conn.sock.settimeout(timeout)
        return self._conn

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def request(self, method: str, path: str, body: Any = None, timeout: Optional[float] = None) -> Any:
        """The answer's ``data``; raises RequestFailed."""
        payload = None if body is None else json.dumps(body, separators=(",", ":")).encode("utf-8")
        for attempt in (1, 2):
            reused = self._conn is not None and self._conn.sock is not None
            try:
                conn = self._connection(timeout or self._timeout)
                conn.request(method, self._prefix + path, body=payload, headers=self._headers)
                response = conn.getresponse()
                raw = response.read()
                status, headers = response.status, response.headers
                if response.will_close:
                    self.close()
                break
            except (OSError, http.client.HTTPException, socket.timeout) as error:
                self.close()
                # The server closes a kept-alive connection after a quiet while: a request on it
                # fails at once, unanswered, and goes again on a new one (stored once either way).
                stale = isinstance(error, (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError))
                if attempt == 1 and reused and stale:
                    continue
                raise RequestFailed(f"{method} {path}: {error or type(error).__name__}") from None
        answer = _decode(raw)
        if 200 <= status < 300 and isinstance(answer, dict):
            return answer.get("data")
        message = answer.get("message") if isinstance(answer, dict) else None
        raise RequestFailed(
            f"{method} {path}: HTTP {status}{': ' + message if message else ''}",
            status=status,
            retry_after=parse_retry_after(headers.get("Retry-After")),
            details=answer.get("details") if isinstance(answer, dict) else None,
        )


def _decode(raw: bytes) -> Any:
    try:
        return json.loads(raw.decode("utf-8")) if raw else None
    except (UnicodeDecodeError, ValueError):
        return None  # a proxy's HTML page, a cut body: judged by the status alone


def backoff_delay(attempt: int, initial: float, maximum: float, rng) -> float:
    """Exponential with full jitter in its upper half, so many clients do not retry in step."""
    ceiling = min(maximum, initial * (2 ** min(attempt, 30)))
    return ceiling * (0.5 + rng.random() / 2)


def session_body(experiment_id: str, config: Optional[dict], total_epochs: Optional[int],
                 host: Optional[str]) -> Dict[str, Any]:
    body: Dict[str, Any] = {"experiment_id": experiment_id}
    if config is not None:
        body["config"] = config
    if total_epochs is not None:
        body["total_epochs"] = total_epochs
    if host:
        body["host"] = host
    return body


def batch_path(experiment_id: str) -> str:
    return f"{API}/{quote_id(experiment_id)}/batch"


def rejected_indices(details: List[Dict[str, Any]]) -> Dict[int, str]:
    """The events a 422 names (``loc`` = body, events, i, ...), with zod's reasons."""
    bad: Dict[int, str] = {}
    for d in details:
        loc = d.get("loc") or []
        if len(loc) >= 3 and loc[0] == "body" and loc[1] == "events" and isinstance(loc[2], int):
            field = ".".join(str(p) for p in loc[3:])
            reason = f"{field}: {d.get('msg')}" if field else str(d.get("msg"))
            bad[loc[2]] = "; ".join(filter(None, [bad.get(loc[2]), reason]))
    return bad
