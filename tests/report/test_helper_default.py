"""One process is the default (issue 24: the report helper was measured not to pay on two cores);
``YONGJI_XLS_HELPER=1`` or ``helper=True`` still starts it, and the executor seam is unchanged."""

from __future__ import annotations

from yongji_xls import api
from yongji_xls import executor as ex


def _idle_two_cores(monkeypatch) -> None:
    monkeypatch.setattr(ex.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(ex.os, "getloadavg", lambda: (0.1, 0.1, 0.1), raising=False)


def test_by_default_a_run_writes_in_one_process_even_on_an_idle_machine(monkeypatch):
    _idle_two_cores(monkeypatch)
    monkeypatch.delenv(ex.HELPER_ENV, raising=False)
    with api.executor() as executor:
        assert executor.helper is None
    for setting in ("0", "", "yes", "2"):
        monkeypatch.setenv(ex.HELPER_ENV, setting)
        with api.executor() as executor:
            assert executor.helper is None, setting


def test_the_helper_when_asked_for(monkeypatch):
    _idle_two_cores(monkeypatch)
    monkeypatch.setenv(ex.HELPER_ENV, " 1 ")
    with api.executor() as executor:
        assert executor.helper is not None and executor.helper.alive
    monkeypatch.setenv(ex.HELPER_ENV, "0")
    with api.executor(helper=True) as executor:  # the caller's explicit choice wins
        assert executor.helper is not None
    monkeypatch.setenv(ex.HELPER_ENV, "1")
    with api.executor(helper=False) as executor:
        assert executor.helper is None
