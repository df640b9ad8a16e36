"""The page's defences: who may see what, and what a request may carry.

Local mode binds 127.0.0.1 only. ``--lan`` adds per-unit upload links and an office token:
tokens are random (``secrets``), compared in constant time, kept in the workspace so links stay
valid across restarts. Every request's Host header must name this server (DNS rebinding);
every POST carries a CSRF token equal to a SameSite=Strict cookie (double submit) and, when the
browser sends an Origin, that origin must be ours. A per-address sliding-window rate limit
answers 429. Size limits are the app's (413).
"""

from __future__ import annotations

import hmac
import json
import secrets
import threading
import time
from collections import defaultdict, deque
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
        api.write_text(path, json.dumps({"office": office, "units": units}, ensure_ascii=False, indent=2))
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
    """At most ``limit`` requests per ``window`` seconds per client address."""

    limit: int
    window: float = 60.0
    _hits: dict[str, deque] = field(default_factory=lambda: defaultdict(deque))
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def allow(self, client: str) -> bool:
        now = time.monotonic()
        with self._lock:
            hits = self._hits[client]
            while hits and now - hits[0] > self.window:
                hits.popleft()
            if len(hits) >= self.limit:
                return False
            hits.append(now)
            return True
