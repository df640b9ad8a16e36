"""The processes a run may use, created and closed by the caller; spawn everywhere.

Two kinds of help, one start method ('spawn': the only one on Windows, and safe beside threads):

* :class:`Worker`: one spawned process that runs calls sent over a pipe. The Word report's helper
  (started before reading so that its start-up is hidden, warmed with the imports its writers
  need) and the throw-away reader of a file pre-flight cannot fully vet (with an address-space
  cap, its stderr kept from the console, a timeout, killed afterwards) are the same thing: a
  child that receives ``(fn, args)``, runs it and sends back the result or the exception. A child
  that dies closes its end of the pipe, so the parent's ``send`` or ``recv`` fails at once
  (:class:`WorkerDied`): no feeder thread is left writing to a dead process, which is what made
  ``ProcessPoolExecutor.shutdown`` hang on Python 3.10 when the old helper pool's worker died.
* the reading pool (:meth:`Executor.read_pool`): many workers mapping over hundreds of files in
  chunks, in order. That is really different (a shared queue of small tasks, not one call), so it
  stays a ``ProcessPoolExecutor``; its tasks are small (a path and a name), and a broken pool is
  closed without waiting on its queue (:func:`close_pool`).

An :class:`Executor` owns both for one caller (``with Executor(helper=warm) as ex: …``): no module
globals, no environment rewriting, everything stopped on ``close``.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import tempfile
from collections.abc import Callable
from typing import Any, TypeVar

HELPER_ENV = "YONGJI_XLS_HELPER"  # 0: never a helper process, 1: always, unset: when a core is free


class WorkerDied(RuntimeError):
    """The worker process died, hung or could not be reached; ``detail`` is a short Chinese
    explanation for an issue text."""

    def __init__(self, detail: str, exitcode: int | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.exitcode = exitcode


class WorkerTimedOut(WorkerDied):
    """The worker did not answer in time and was killed."""


class ResultUnreadable(RuntimeError):
    """The call raised or returned something that could not be sent back as itself."""


def _context() -> Any:
    return multiprocessing.get_context("spawn")


_Closes = TypeVar("_Closes", bound="_ClosedOnExit")


class _ClosedOnExit:
    """``with thing:`` closes it on the way out (its processes stopped, whatever happened)."""

    def __enter__(self: _Closes) -> _Closes:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def close(self) -> None:  # pragma: no cover - every subclass has its own
        raise NotImplementedError


class Worker(_ClosedOnExit):
    """One spawned process serving calls over a pipe, one at a time (see the module docstring).

    ``warm``: a top-level function run once when the process starts (imports to hide);
    ``memory_mb``: an address-space cap (POSIX); ``quiet``: the child's stderr goes to a
    temporary file (a native crash message is read from there, never shown on the console)."""

    def __init__(
        self,
        *,
        warm: Callable[[], Any] | None = None,
        memory_mb: int | None = None,
        quiet: bool = False,
        name: str = "工作进程",
    ) -> None:
        self.name = name  # how messages name it (读取程序 for an isolated reader)
        ctx = _context()
        self._conn, child = ctx.Pipe()
        self._err = ""
        if quiet:
            fd, self._err = tempfile.mkstemp(prefix="yongji-worker-", suffix=".log")
            os.close(fd)
        self._proc = ctx.Process(target=_serve, args=(child, self._err, memory_mb, warm, name), daemon=True)
        try:
            self._proc.start()
        finally:
            child.close()  # only the child holds its end: its death is an EOF here
        self._busy = False

    @property
    def alive(self) -> bool:
        return self._proc.is_alive()

    def submit(self, fn: Callable[..., Any], *args: Any) -> None:
        """Send one call; collect it with :meth:`result`. ``fn`` and ``args`` must pickle."""
        try:
            self._conn.send((fn, args))
        except (OSError, EOFError) as e:  # BrokenPipeError: the process is gone
            raise WorkerDied(self._death(), self._proc.exitcode) from e
        self._busy = True

    def result(self, timeout: float | None = None) -> Any:
        """The submitted call's result, or its exception raised here; :class:`WorkerDied` when the
        process died or did not answer within ``timeout`` seconds (it is then killed)."""
        try:
            if timeout is not None and not self._conn.poll(timeout):
                self.close(kill=True)
                raise WorkerTimedOut(f"读取超过{timeout:g}秒仍未完成，已中止")
            status, payload = self._conn.recv()
        except (EOFError, OSError) as e:
            self._proc.join(10)
            raise WorkerDied(self._death(), self._proc.exitcode) from e
        except WorkerDied:
            raise
        except Exception as e:  # noqa: BLE001 - a result that pickles but does not unpickle
            raise ResultUnreadable(f"无法解读{self.name}传回的结果（{type(e).__name__}）") from e
        finally:
            self._busy = False
        if status == "ok":
            return payload
        if status == "raised":
            raise payload
        raise ResultUnreadable(payload)

    def call(self, fn: Callable[..., Any], *args: Any, timeout: float | None = None) -> Any:
        self.submit(fn, *args)
        return self.result(timeout)

    def close(self, kill: bool = False) -> None:
        """Stop the process: asked to end, or killed (``kill``, a busy or stuck one); never waits long."""
        if not kill and not self._busy and self._proc.is_alive():
            try:
                self._conn.send(None)
            except (OSError, EOFError):
                pass
            self._proc.join(5)
        if self._proc.is_alive():
            self._proc.kill()
            self._proc.join(5)
        self._conn.close()
        if self._err:
            _remove(self._err)
            self._err = ""

    def _death(self) -> str:
        self._proc.join(1)
        code = self._proc.exitcode
        if code is not None and code < 0:
            try:
                how = f"信号{signal.Signals(-code).name}"
            except ValueError:
                how = f"信号{-code}"
        else:
            how = f"退出码{code}"
        last = _first_line(self._err) if self._err else ""
        return f"{self.name}异常终止（{how}{'：' + last if last else ''}）"


def _serve(conn: Any, err_path: str, memory_mb: int | None, warm: Callable[[], Any] | None, name: str) -> None:
    """The worker's loop (top level, so that 'spawn' can import it)."""
    if err_path:
        os.environ["RUST_BACKTRACE"] = "0"  # the child's own copy: a native panic stays one line
        try:
            with open(err_path, "wb") as err:  # native crash messages land here, not on the user's console
                os.dup2(err.fileno(), 2)
        except OSError:
            pass
    if memory_mb:
        _limit_memory(memory_mb)
    if warm is not None:
        warm()
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        fn, args = job
        try:
            result: tuple[str, Any] = ("ok", fn(*args))
        except Exception as e:  # noqa: BLE001 - every error of the call goes back to the caller
            result = ("raised", e)
        try:
            conn.send(result)
        except Exception as e:  # noqa: BLE001 - the result or exception would not pickle
            what = "结果" if result[0] == "ok" else f"异常{type(result[1]).__name__}: {result[1]}"
            conn.send(("failed", f"{name}的{what}无法传回（{type(e).__name__}）"))


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


def helper_pays() -> bool:
    """A second process only pays when a second core is free: not on one CPU and not when the
    machine is already busy (load average above the number of CPUs minus one half, where the
    system reports it; Windows does not, and an office PC is mostly idle). On a busy machine
    its start-up (~0.2 s of CPU) is pure cost. ``YONGJI_XLS_HELPER=0`` never starts it,
    ``=1`` always does."""
    cpus = os.cpu_count() or 1
    setting = os.environ.get(HELPER_ENV, "").strip()
    if setting in ("0", "1"):
        return setting == "1"
    if cpus < 2:
        return False
    try:
        load = os.getloadavg()[0]
    except (AttributeError, OSError):
        return True
    return load < cpus - 0.5


def close_pool(pool: Any) -> None:
    """Shut a ``ProcessPoolExecutor`` down without hanging when it is broken (a worker died):
    its remaining workers are killed and its call queue is not waited on (on Python 3.10 the
    queue's feeder thread can be stuck writing to a dead worker, and ``shutdown(wait=True)``
    waits for it forever)."""
    if not getattr(pool, "_broken", False):
        pool.shutdown(wait=True, cancel_futures=True)
        return
    processes = list((getattr(pool, "_processes", None) or {}).values())
    for p in processes:
        if p.is_alive():
            p.kill()
    queue = getattr(pool, "_call_queue", None)
    if queue is not None:
        queue.cancel_join_thread()
    pool.shutdown(wait=False, cancel_futures=True)
    for p in processes:
        p.join(5)


class Executor(_ClosedOnExit):
    """The report helper and the reading pool of one caller (a CLI run, the web page's run,
    a test), as a context manager: ``with Executor(helper=warm) as ex: api.run(…, executor=ex)``.

    ``helper``: the warm-up function of the report helper; given, the helper process starts at
    once (so its start-up overlaps reading) when :func:`helper_pays` or ``force_helper`` says so.
    ``read_workers``: the reading pool's size for a large folder (None: one per CPU, at most 8)."""

    def __init__(
        self,
        *,
        helper: Callable[[], Any] | None = None,
        force_helper: bool = False,
        read_workers: int | None = None,
    ) -> None:
        self.read_workers = read_workers
        self._helper: Worker | None = None
        self._pool: Any = None
        self._pool_key: Any = None
        if helper is not None and (force_helper or helper_pays()):
            try:
                self._helper = Worker(warm=helper)
            except OSError:  # no process could be started: everything is written here
                self._helper = None

    @property
    def helper(self) -> Worker | None:
        """The live report helper, or None (never started, or dropped after it failed)."""
        return self._helper

    def drop_helper(self) -> None:
        """The helper failed: stop it; the rest of this executor's work is done in the caller."""
        if self._helper is not None:
            self._helper.close(kill=True)
            self._helper = None

    def read_pool(self, size: int, initializer: Callable[..., Any], initargs: tuple[Any, ...]) -> Any:
        """A spawn ``ProcessPoolExecutor`` of ``size`` workers set up by ``initializer(*initargs)``
        (the indicator system, sent once per worker); kept for later reads with the same set-up."""
        key = (size, initializer, id(initargs[0]) if initargs else None)
        if self._pool is not None and (self._pool_key != key or getattr(self._pool, "_broken", False)):
            self.close_read_pool()
        if self._pool is None:
            from concurrent.futures import ProcessPoolExecutor

            self._pool = ProcessPoolExecutor(size, mp_context=_context(), initializer=initializer, initargs=initargs)
            self._pool_key = key
        return self._pool

    def close_read_pool(self) -> None:
        if self._pool is not None:
            pool, self._pool, self._pool_key = self._pool, None, None
            close_pool(pool)

    def close(self) -> None:
        self.drop_helper()
        self.close_read_pool()
