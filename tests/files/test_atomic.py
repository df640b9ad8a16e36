"""Atomic writes: the new file replaces the old whole, with a normal file's permissions, and the
process's umask is never changed on the way (it is process-wide: a file another thread creates
in that instant would be world-writable)."""

from __future__ import annotations

import os
import stat

import pytest

from yongji_xls.files import atomic


@pytest.mark.skipif(os.name == "nt", reason="POSIX permission bits")
def test_a_written_file_has_a_normal_files_mode_and_the_umask_is_never_set(tmp_path, monkeypatch):
    mask = os.umask(0o022)
    os.umask(mask)

    def refuse(_mask: int) -> int:
        raise AssertionError("os.umask called while writing")

    monkeypatch.setattr(os, "umask", refuse)
    target = tmp_path / "成果.txt"
    target.write_text("旧", "utf-8")
    atomic.write_text(target, "新")
    assert target.read_text("utf-8") == "新"
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~mask
    atomic.write_text(tmp_path / "口令.json", "{}", private=True)
    assert stat.S_IMODE((tmp_path / "口令.json").stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_a_failing_writer_leaves_the_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "任务分解表.xlsx"
    target.write_bytes(b"old")

    def fail(path) -> None:
        path.write_bytes(b"half")
        raise OSError("disk full")

    with pytest.raises(OSError):
        atomic.write_with(target, fail)
    assert target.read_bytes() == b"old" and sorted(p.name for p in tmp_path.iterdir()) == ["任务分解表.xlsx"]
