"""How this server was started (hosts, tokens, limits) and the links it hands out: what the app,
the office's routes and the start-up code all read, so none of them needs another."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .security import Tokens

MB = 1024 * 1024
CSRF_COOKIE, OFFICE_COOKIE = "yx_csrf", "yx_office"


@dataclass
class Settings:
    """How this server was started; the limits are the defaults the tests may lower."""

    hosts: set[str]
    lan: bool = False
    tokens: Tokens | None = None
    file_limit: int = 20 * MB
    request_limit: int = 200 * MB
    files_per_request: int = 200
    rate_limit: int = 600
    post_rate_limit: int = 60
    origins: set[str] = field(default_factory=set)
    base_url: str = ""
    unit_numbers: dict[str, int] = field(default_factory=dict)


def unit_link(settings: Any, unit: str) -> str:
    ws_units = settings.unit_numbers
    return f"{settings.base_url}/u/{ws_units[unit]}/{settings.tokens.units[unit]}"


def office_link(settings: Any) -> str:
    return f"{settings.base_url}/?token={settings.tokens.office}" if settings.lan else f"{settings.base_url}/"
