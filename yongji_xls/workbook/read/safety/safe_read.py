"""Run a reader in a throw-away worker process, so a native crash or a hang costs one file.

python-calamine can abort the whole process (SIGABRT) on some inputs, and no Python ``try``
catches that. ``read_isolated`` runs ``fn(*args)`` in a spawned :class:`yongji_xls.executor.Worker`
with an address-space cap and its stderr kept from the console: the result or the reader's own
exception comes back through the pipe; a dead or stuck worker becomes :class:`ReaderCrashed`.

``fn`` and ``args`` must be picklable (a top-level function). A worker costs roughly one
interpreter start-up, so this is a fallback for the few files pre-flight cannot fully vet.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ....executor import ResultUnreadable, Worker, WorkerDied, WorkerTimedOut

DEFAULT_TIMEOUT = 120.0
DEFAULT_MEMORY_MB = 4096  # address-space cap for the worker (POSIX only); None lifts it


class ReaderCrashed(RuntimeError):
    """The worker died or hung; ``detail`` is a short Chinese explanation for the issue text."""

    def __init__(self, detail: str, exitcode: int | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.exitcode = exitcode


class ReaderFailed(RuntimeError):
    """The reader raised an exception that could not be sent back as itself."""


def read_isolated(
    fn: Callable[..., Any], *args: Any, timeout: float = DEFAULT_TIMEOUT, memory_mb: int | None = DEFAULT_MEMORY_MB
) -> Any:
    """``fn(*args)`` in a worker process: its result, its exception, or ReaderCrashed."""
    with Worker(memory_mb=memory_mb, quiet=True, name="读取程序") as worker:
        try:
            return worker.call(fn, *args, timeout=timeout)
        except WorkerTimedOut as e:
            raise ReaderCrashed(e.detail) from None
        except WorkerDied as e:
            raise ReaderCrashed(f"{e.detail}，可能是文件内容异常", e.exitcode) from None
        except ResultUnreadable as e:
            raise ReaderFailed(str(e)) from None
