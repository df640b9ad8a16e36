"""Run a reader in a throw-away worker process, so a native crash or a hang costs one file.

python-calamine can abort the whole process (SIGABRT) on some inputs, and no Python ``try``
catches that. ``read_isolated`` runs ``fn(*args)`` in a 'spawn' worker (the only start method
on Windows, and safe with threads elsewhere): the result or the reader's own exception comes
back through a pipe; a dead or stuck worker becomes :class:`ReaderCrashed`.

``fn`` and ``args`` must be picklable (a top-level function). A worker costs roughly one
interpreter start-up, so this is a fallback for the few files pre-flight cannot fully vet.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import tempfile
from collections.abc import Callable
from typing import Any

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
    ctx = multiprocessing.get_context("spawn")
    receiver, sender = ctx.Pipe(duplex=False)
    fd, err_path = tempfile.mkstemp(prefix="yongji-reader-", suffix=".log")
    os.close(fd)
    proc = ctx.Process(target=_worker, args=(sender, err_path, memory_mb, fn, args), daemon=True)
    try:
        proc.start()
        sender.close()
        if not receiver.poll(timeout):
            proc.kill()
            raise ReaderCrashed(f"读取超过{timeout:g}秒仍未完成，已中止")
        try:
            status, payload = receiver.recv()
        except (EOFError, OSError):
            proc.join(10)
            raise ReaderCrashed(_death(proc.exitcode, err_path), proc.exitcode) from None
        except Exception as e:  # noqa: BLE001 - an exception that pickles but does not unpickle
            raise ReaderFailed(f"无法解读读取程序传回的结果（{type(e).__name__}）") from e
    finally:
        receiver.close()
        if proc.is_alive():
            proc.join(5)
        if proc.is_alive():
            proc.kill()
            proc.join(5)
        _remove(err_path)
    if status == "ok":
        return payload
    if status == "raised":
        raise payload
    raise ReaderFailed(payload)


def _worker(sender: Any, err_path: str, memory_mb: int | None, fn: Callable[..., Any], args: tuple) -> None:
    """Worker entry (top level, so 'spawn' can import it)."""
    os.environ["RUST_BACKTRACE"] = "0"
    try:
        with open(err_path, "wb") as err:  # native crash messages land here, not on the user's console
            os.dup2(err.fileno(), 2)
    except OSError:
        pass
    if memory_mb:
        _limit_memory(memory_mb)
    try:
        result = ("ok", fn(*args))
    except Exception as e:  # noqa: BLE001 - every reader error goes back to the parent
        result = ("raised", e)
    try:
        sender.send(result)
    except Exception as e:  # noqa: BLE001 - the result or exception would not pickle
        what = "结果" if result[0] == "ok" else f"异常{type(result[1]).__name__}: {result[1]}"
        sender.send(("failed", f"读取程序的{what}无法传回（{type(e).__name__}）"))
    sender.close()


def _limit_memory(memory_mb: int) -> None:
    try:
        import resource
    except ImportError:  # Windows: no address-space limit
        return
    cap = memory_mb * 1024 * 1024
    try:
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    except (ValueError, OSError):
        pass


def _death(exitcode: int | None, err_path: str) -> str:
    if exitcode is not None and exitcode < 0:
        try:
            how = f"信号{signal.Signals(-exitcode).name}"
        except ValueError:
            how = f"信号{-exitcode}"
    else:
        how = f"退出码{exitcode}"
    last = _first_line(err_path)
    return f"读取程序异常终止（{how}{'：' + last if last else ''}），可能是文件内容异常"


def _first_line(path: str) -> str:
    try:
        with open(path, "rb") as f:
            text = f.read(4096).decode("utf-8", "replace")
    except OSError:
        return ""
    for line in text.splitlines():
        if line.strip():
            return line.strip()[:120]
    return ""


def _remove(path: str) -> None:
    try:
        os.remove(path)
    except OSError:
        pass
