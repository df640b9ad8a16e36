"""The page's defences: who may see what, and what a request may carry.

Local mode binds 127.0.0.1 only. ``--lan`` adds per-unit upload links and an office token:
tokens are random (``secrets``), compared in constant time, kept in the workspace so links stay
valid across restarts. Every request's Host header must name this server (DNS rebinding);
every POST carries a CSRF token equal to a SameSite=Strict cookie (double submit) and, when the
browser sends an Origin, that origin must be ours. A per-address sliding-window rate limit
answers 429 with Retry-After, counted per token (a unit's link, the office's cookie) so units
behind one NAT do not share a budget, and per address for requests without a token. ``next``
(where a form returns) is accepted only as the path of one of this site's pages. Token files are
written owner-only, and log lines are redacted of tokens. Size limits are the app's (413).
"""

from __future__ import annotations

import hmac
import json
import logging
import math
import re
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .. import api

LOOPBACK = "127.0.0.1"
TOKEN_FILE = "tokens.json"


def same(a: str | None, b: str | None) -> bool:
    """Constant-time equality of two tokens; False when either is missing."""
    return bool(a) and bool(b) and hmac.compare_digest(str(a).encode(), str(b).encode())


def new_token() -> str:
    return secrets.token_urlsafe(18)


@dataclass
class Tokens:
    """The office token and one token per unit (by unit name)."""

    office: str
    units: dict[str, str]

    @classmethod
    def load_or_create(cls, state_dir: Path, unit_names: list[str]) -> Tokens:
        """Reuse the workspace's tokens (links already handed out keep working); add new units."""
        path = Path(state_dir) / TOKEN_FILE
        data: dict = {}
        if path.is_file():
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                data = {}
        office = data.get("office") if isinstance(data.get("office"), str) else new_token()
        old = data.get("units") if isinstance(data.get("units"), dict) else {}
        units = {u: old[u] if isinstance(old.get(u), str) else new_token() for u in unit_names}
        tokens = cls(office, units)
        api.write_text(path, json.dumps({"office": office, "units": units}, ensure_ascii=False, indent=2), private=True)
        return tokens

    def unit_of(self, token: str | None) -> str | None:
        for unit, t in self.units.items():
            if same(token, t):
                return unit
        return None


def allowed_hosts(bind: str, port: int, extra: list[str] = ()) -> set[str]:
    """Host header values naming this server: loopback names, the bound address, any extra."""
    names = {LOOPBACK, "localhost", *extra}
    if bind not in ("0.0.0.0", "::", ""):
        names.add(bind)
    return {f"{n}:{port}" for n in names} | ({n for n in names} if port == 80 else set())


@dataclass
class RateLimit:
    """At most ``limit`` requests per ``window`` seconds per client (a token's holder, or an address)."""

    limit: int
    window: float = 60.0
    clock: Callable[[], float] = time.monotonic
    _hits: dict[str, deque] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _swept: float = float("-inf")

    def wait(self, client: str) -> int:
        """0 when the request may go ahead (and is counted), else the seconds until it may."""
        now = self.clock()
        with self._lock:
            if now - self._swept > self.window:  # at most once a window: forget clients gone quiet
                self._swept = now
                for name in [c for c, h in self._hits.items() if now - h[-1] > self.window]:
                    del self._hits[name]
            hits = self._hits.setdefault(client, deque())
            while hits and now - hits[0] > self.window:
                hits.popleft()
            if len(hits) >= self.limit:
                return max(1, math.ceil(self.window - (now - hits[0])))
            hits.append(now)
            return 0

    def allow(self, client: str) -> bool:
        return self.wait(client) == 0


_SAFE_PATH = re.compile(r"/[A-Za-z0-9/_.-]*")


def local_path(target: str | None, is_page: Callable[[str], bool]) -> str | None:
    """``target`` if it is a path of one of this site's pages, else None: never a scheme, a host
    (``//x``, ``/\\x``, ``/\t/x``), a control character, an encoded one or a query."""
    if not target or not _SAFE_PATH.fullmatch(target) or target.startswith("//"):
        return None
    return target if is_page(target) else None


_UNIT_PATH = re.compile(r"(/u/\d+/)[^/\s?#\"']+")
_TOKEN_ARG = re.compile(r"(token=)[^&\s\"'#]+")


def redact(text: str) -> str:
    """A log line without the tokens it might carry (a unit link's path, ``?token=``)."""
    return _TOKEN_ARG.sub(r"\1…", _UNIT_PATH.sub(r"\1…", text))


class RedactTokens(logging.Filter):
    """Every record of the server's and the app's loggers is formatted, then redacted."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg, record.args = redact(record.getMessage()), None
        if record.exc_info and record.exc_text is None:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        return True
