"""The page's store of returned files: names unique by construction (no loop), nothing slow
under its lock, a unit's re-upload superseding its earlier file, withdrawal, and the upload log's
header written once however the first uploads race."""

from __future__ import annotations

import csv
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from yongji_xls.web.store import HASH_CHARS, Store, candidates


def _store(tmp_path) -> Store:
    return Store(tmp_path / "ws", tmp_path / "ws" / ".state")


@pytest.mark.parametrize("stem", ["甲" * 300, "a" * 300, "市场监管局" * 27, "x" * 115, "填" * 84])
def test_the_three_names_of_a_long_name_differ_and_keep_the_suffix(stem):
    a = candidates(f"{stem}.xlsx", "0" * 64)
    b = candidates(f"{stem}.xlsx", "1" * 64)
    assert len(set(a)) == 3 and all(n.endswith(".xlsx") and len(n) <= 120 for n in a)
    assert a[0] == b[0] and a[1] != b[1] and a[2] != b[2]  # the digest is inside the cut name
    assert "0" * HASH_CHARS in a[1] and "0" * 64 in a[2]


@pytest.mark.parametrize("stem", ["甲" * 300, "a" * 300])
def test_a_long_name_re_uploaded_20_times_by_several_units_at_once_never_hangs(tmp_path, stem):
    """The audit's freeze: the 2nd upload of a 135-character name looped forever under the lock."""
    store = _store(tmp_path)
    units = ["市统计局", "市商务局", "市邮政管理局", "城西街道"]

    def upload(n: int) -> float:
        start = time.monotonic()
        unit = units[n % len(units)]
        store.store(f"{stem}.xlsx", f"{unit} 第{n}次".encode() * 1000, unit=unit, batch=str(n))
        store.log(unit, "单位链接", f"{stem}.xlsx", "", b"x")
        return time.monotonic() - start

    with ThreadPoolExecutor(8) as pool:
        took = list(pool.map(upload, range(20)))
    assert max(took) <= 10.0, took  # the old loop never ended; a loaded machine takes its time
    kept = [p.name for p in store.returns.iterdir()]
    assert len(kept) == len(units)  # one file per unit: the others superseded
    replaced = list((store.root / "已替换").iterdir())
    assert len(replaced) == 20 - len(units) and len({p.name for p in replaced}) == len(replaced)


def test_identical_bytes_are_stored_once_and_other_bytes_under_another_name(tmp_path):
    store = _store(tmp_path)
    a = store.store("表.xlsx", b"one")
    b = store.store("另一个名字.xlsx", b"one")
    c = store.store("表.xlsx", b"two")
    assert b.duplicate and b.path == a.path and not c.duplicate and c.path != a.path
    assert c.path.name == f"表_{c.sha256[:HASH_CHARS]}.xlsx"


def test_a_units_new_upload_supersedes_its_earlier_one_but_not_a_file_of_the_same_upload(tmp_path):
    store = _store(tmp_path)
    first = store.store("统计局初稿.xlsx", b"v1", unit="市统计局", batch="a")
    same_batch = store.store("统计局附表.xlsx", b"v1b", unit="市统计局", batch="a")
    other = store.store("商务局.xlsx", b"w", unit="市商务局", batch="a")
    assert first.replaced == [] and same_batch.replaced == []
    new = store.store("统计局终稿.xlsx", b"v2", unit="市统计局", batch="b")
    assert sorted(new.replaced) == ["统计局初稿.xlsx", "统计局附表.xlsx"]
    assert sorted(p.name for p in store.returns.iterdir()) == ["商务局.xlsx", "统计局终稿.xlsx"]
    history = store.history()["市统计局"]
    assert {m.name for m in history} == {"统计局初稿.xlsx", "统计局附表.xlsx"} and all(
        m.path.is_file() for m in history
    )
    assert other.path.is_file()
    again = _store(tmp_path)  # the record survives a restart
    assert {m.name for m in again.history()["市统计局"]} == {"统计局初稿.xlsx", "统计局附表.xlsx"}
    assert {f["name"]: f["unit"] for f in again.files()} == {"商务局.xlsx": "市商务局", "统计局终稿.xlsx": "市统计局"}


def test_withdrawing_moves_the_file_out_of_the_returns_and_logs_it(tmp_path):
    store = _store(tmp_path)
    kept = store.store("市统计局.xlsx", b"data", unit="市统计局")
    assert store.withdraw("../市统计局.xlsx") is None  # looked up among the stored names, never joined
    moved = store.withdraw(kept.path.name)
    assert moved is not None and not kept.path.exists() and moved.path.read_bytes() == b"data"
    assert moved.path.parent.name == "已撤回" and store.withdraw(kept.path.name) is None
    rows = list(csv.reader((store.root / "上传记录.csv").read_text("utf-8-sig").splitlines()))
    assert rows[-1][1:5] == ["市统计局", "已撤回", "市统计局.xlsx", f"已撤回/{moved.path.name}"]
    again = store.store("市统计局.xlsx", b"data", unit="市统计局")  # the same bytes may come back
    assert not again.duplicate and again.path.read_bytes() == b"data"


def test_the_log_header_is_written_once_when_the_first_uploads_race(tmp_path):
    """Threads switch between any two steps (a tiny switch interval), over 20 fresh logs: a header
    decided outside the lock shows up twice within the first rounds."""
    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        for round_ in range(20):
            store = Store(tmp_path / f"ws{round_}", tmp_path / f"ws{round_}" / ".state")
            gate = threading.Barrier(16)

            def first(n: int, store: Store = store, gate: threading.Barrier = gate) -> None:
                gate.wait()
                store.log(f"单位{n}", "单位链接", f"{n}.xlsx", f"{n}.xlsx", b"x")

            threads = [threading.Thread(target=first, args=(n,)) for n in range(16)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            lines = (store.root / "上传记录.csv").read_text("utf-8-sig").splitlines()
            assert lines.count("时间,单位,来源,原文件名,保存为,字节数,sha256") == 1, round_
            assert lines[0].startswith("时间,") and len(lines) == 17
    finally:
        sys.setswitchinterval(old)
