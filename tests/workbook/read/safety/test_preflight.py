"""Pre-flight on the hostile corpus, the isolated reader, and what calamine really does.

python-calamine is only ever run here on files that pre-flight passed, or inside read_isolated.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import subprocess
import sys
import time
from pathlib import Path

import hostile
import pytest

from yongji_xls.workbook.read.safety.preflight import DEFAULT_LIMITS, Limits, preflight
from yongji_xls.workbook.read.safety.safe_read import ReaderCrashed, read_isolated

REFUSED = {name: case for name, case in hostile.CASES.items() if case[1] is not None}
PASSED = {name: case for name, case in hostile.CASES.items() if case[1] is None}
SHEET_CASES = {name for name, (_, code) in REFUSED.items() if code == "file_huge_range"}


def _fingerprint(path: Path) -> tuple[str, int, int]:
    st = path.stat()
    return hashlib.sha256(path.read_bytes()).hexdigest(), st.st_size, st.st_mtime_ns


# --- reader functions for the worker process (top level, so 'spawn' can import them) -----------


def calamine_read_all(path: str) -> list[tuple[str, int, int]]:
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_path(path)
    out = []
    for name in wb.sheet_names:
        sheet = wb.get_sheet_by_name(name)
        rows = sheet.to_python()
        out.append((name, len(rows), max((len(r) for r in rows), default=0)))
    return out


def add(a: int, b: int) -> int:
    return a + b


def fail(text: str) -> None:
    raise ValueError(text)


def sleep(seconds: float) -> None:
    time.sleep(seconds)


def abort() -> None:
    os.abort()


# --- the corpus ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_hostile_file_is_refused_with_its_code(tmp_path: Path, name: str) -> None:
    maker, code = REFUSED[name]
    path = maker(tmp_path)
    before = _fingerprint(path)
    result = preflight(path, path.name)
    assert not result.ok
    assert result.kind is None
    assert [i.code for i in result.issues] == [code]
    issue = result.issues[0]
    assert issue.severity == "error"
    assert issue.file == path.name
    if name in SHEET_CASES:
        assert issue.sheet == hostile.SHEET
        assert "有内容的单元格延伸到" in issue.message
    assert _fingerprint(path) == before


@pytest.mark.parametrize("name", sorted(PASSED))
def test_harmless_file_passes(tmp_path: Path, name: str) -> None:
    maker, _ = PASSED[name]
    path = maker(tmp_path)
    before = _fingerprint(path)
    result = preflight(path, path.name)
    assert result.ok, [i.text for i in result.issues]
    assert all(i.severity != "error" for i in result.issues)
    assert _fingerprint(path) == before


@pytest.mark.parametrize(
    ("maker", "kind", "codes"),
    [
        (hostile.make_normal_xlsx, "xlsx", []),
        (hostile.make_xlsm_with_macros, "xlsm", ["file_macros"]),
        (hostile.make_xlsx_named_xls, "xlsx", ["file_ext_mismatch"]),
        (hostile.make_ods, "ods", ["file_legacy_format"]),
    ],
)
def test_kind_and_info_issues(tmp_path: Path, maker, kind: str, codes: list[str]) -> None:
    result = preflight(maker(tmp_path), "x")
    assert (result.ok, result.kind, [i.code for i in result.issues]) == (True, kind, codes)
    assert all(i.severity == "info" for i in result.issues)


def test_messages_say_what_the_file_really_is(tmp_path: Path) -> None:
    texts = {
        name: preflight(REFUSED[name][0](tmp_path), "f").issues[0].message
        for name in ("png_as_xlsx", "text_as_xlsx", "html_as_xls", "docx_as_xlsx", "doc_as_xls")
    }
    assert "PNG图片" in texts["png_as_xlsx"]
    assert "纯文本" in texts["text_as_xlsx"]
    assert "HTML" in texts["html_as_xls"]
    assert "Word文档" in texts["docx_as_xlsx"]
    assert "Word 97-2003" in texts["doc_as_xls"]
    bomb = preflight(hostile.make_zip_bomb(tmp_path), "f").issues[0].message
    assert "xl/worksheets/sheet1.xml" in bomb and "210 MB" in bomb and "上限100 MB" in bomb
    many = preflight(hostile.make_many_members(tmp_path), "f").issues[0].message
    assert "5012个成员" in many


def test_huge_range_names_the_sheet_as_the_user_sees_it(tmp_path: Path) -> None:
    result = preflight(hostile.make_far_cell_escaped_sheet_name(tmp_path), "f.xlsx")
    assert [(i.code, i.sheet) for i in result.issues] == [("cells_far_cut", hostile.ESCAPED_SHEET)]
    assert "A30000" in result.issues[0].message


def test_unsupported_extension_and_unreadable_path(tmp_path: Path) -> None:
    doc = tmp_path / "说明.docx"
    doc.write_bytes(b"PK\x03\x04")
    assert [(i.code, i.severity) for i in preflight(doc, doc.name).issues] == [("file_unsupported", "info")]
    folder = tmp_path / "文件夹.xlsx"
    folder.mkdir()
    result = preflight(folder, folder.name)
    assert not result.ok and [i.code for i in result.issues] == ["file_read_failed"]


# --- limits -----------------------------------------------------------------------------------------


def test_limits_are_overridable(tmp_path: Path) -> None:
    path = hostile.make_normal_xlsx(tmp_path, rows=30)
    assert preflight(path, "f").ok

    def codes(**changes: int) -> list[str]:
        return [i.code for i in preflight(path, "f", dataclasses.replace(DEFAULT_LIMITS, **changes)).issues]

    assert codes(max_rows=30) == ["cells_far_cut"]  # 30 data rows below a header row: the last one is cut out
    assert codes(max_rows=31) == []
    assert codes(max_cols=4) == ["cells_far_cut"]  # the key column is E
    assert codes(max_members=5) == ["file_zip_bomb"]
    assert codes(max_file_bytes=1000) == ["file_too_large"]
    assert codes(max_total_uncompressed=10_000) == ["file_zip_bomb"]
    assert Limits() == DEFAULT_LIMITS and DEFAULT_LIMITS.max_cols == 200


def test_blank_styled_cells_beyond_the_limits_do_not_count(tmp_path: Path) -> None:
    path = hostile.make_blank_far_cell(tmp_path)
    assert preflight(path, "f").ok
    assert preflight(path, "f", Limits(max_rows=1, max_cols=2)).ok


def test_cells_without_refs_are_placed_by_counting(tmp_path: Path) -> None:
    path = hostile.make_cells_without_refs(tmp_path)
    assert preflight(path, "f", Limits(max_cols=16384, max_rows=100)).ok
    assert [i.code for i in preflight(path, "f", Limits(max_cols=16383, max_rows=100)).issues] == ["file_huge_range"]


# --- speed and isolation ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "maker",
    [hostile.make_zip_bomb, hostile.make_prefixed_far_cell, hostile.make_many_members, hostile.make_billion_laughs],
)
def test_dangerous_files_are_refused_fast(tmp_path: Path, maker) -> None:
    path = maker(tmp_path)
    start = time.perf_counter()
    result = preflight(path, "f")
    assert time.perf_counter() - start < 0.1
    assert not result.ok


def test_junk_markup_is_scanned_in_linear_time(tmp_path: Path) -> None:
    """Unclosed tags and giant attributes once made the regex scans quadratic (hours on 400 KB)."""
    junk_sheet = hostile._before_sheet_data_end(b'<row><c x="' * 60_000)
    path = hostile._patched(
        tmp_path,
        "junk.xlsx",
        junk_sheet,
        changes={"xl/workbook.xml": lambda xml: xml.replace(b"<sheet ", b"<sheet " + b"a" * 300_000 + b" ", 1)},
    )
    start = time.perf_counter()
    preflight(path, "f")
    assert time.perf_counter() - start < 1.0


@pytest.mark.parametrize(
    "maker",
    [
        hostile.make_normal_xlsx,
        hostile.make_ods,
        hostile.make_encrypted_xls,
        hostile.make_fake_et,
        hostile.make_xlsm_with_macros,
    ],
)
def test_mutated_files_always_get_a_verdict(tmp_path: Path, maker) -> None:
    """Truncations and flipped bytes anywhere: a Preflight comes back, never an exception."""
    import random

    source = maker(tmp_path)
    data = source.read_bytes()
    rng = random.Random(20240615)
    target = tmp_path / ("mutant" + (".xls" if source.suffix == ".et" else source.suffix))
    for n in range(150):
        mutant = bytearray(data[: rng.randrange(1, len(data))] if n % 3 == 0 else data)
        for _ in range(rng.randrange(1, 8)):
            mutant[rng.randrange(len(mutant))] = rng.randrange(256)
        target.write_bytes(bytes(mutant))
        result = preflight(target, "f")
        assert result.ok or (result.kind is None and any(i.severity in ("error", "info") for i in result.issues))


def test_preflight_never_imports_a_reader(tmp_path: Path) -> None:
    """A fresh interpreter refuses a far-cell file with calamine and openpyxl never imported."""
    path = hostile.make_prefixed_far_cell(tmp_path)
    code = (
        "import sys; from pathlib import Path; from yongji_xls.workbook.read.safety.preflight import preflight\n"
        f"r = preflight(Path({str(path)!r}), 'f')\n"
        "assert not r.ok and r.issues[0].code == 'file_huge_range', r\n"
        "loaded = [m for m in ('python_calamine', 'openpyxl', 'xlsxwriter') if m in sys.modules]\n"
        "assert not loaded, loaded\n"
    )
    root = Path(__file__).resolve().parents[3]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(root), os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr


def test_calamine_on_the_far_corner_file_costs_one_worker_not_the_run(tmp_path: Path) -> None:
    """What pre-flight prevents: calamine on this file kills its process (SIGABRT today) or, on a
    slower machine, runs past the timeout; either way the worker is lost and the caller goes on."""
    path = hostile.make_far_corner(tmp_path)
    with pytest.raises(Exception) as caught:  # ReaderCrashed, or calamine's own error in a future version
        read_isolated(calamine_read_all, str(path), timeout=20, memory_mb=2048)
    if isinstance(caught.value, ReaderCrashed):
        assert "异常终止" in caught.value.detail or "未完成" in caught.value.detail, caught.value.detail
    assert read_isolated(len, "caller goes on", timeout=60) == len("caller goes on")


@pytest.mark.parametrize(
    "maker", [hostile.make_whole_column_format, hostile.make_dimension_huge, hostile.make_blank_far_cell]
)
def test_calamine_ignores_what_preflight_lets_through(tmp_path: Path, maker) -> None:
    """The claims behind not refusing these: calamine reads only cells with content."""
    path = maker(tmp_path)
    assert preflight(path, "f").ok
    for name, rows, cols in calamine_read_all(str(path)):
        assert rows <= 40 and cols <= 5, (name, rows, cols)


def test_calamine_reads_the_generated_ods(tmp_path: Path) -> None:
    path = hostile.make_ods(tmp_path)
    assert preflight(path, "f").kind == "ods"
    assert calamine_read_all(str(path)) == [(hostile.SHEET, 2, 2)]


@pytest.mark.slow  # LibreOffice
def test_genuine_xls_passes_and_reads(tmp_path: Path) -> None:
    path = hostile.make_xls(tmp_path)  # skips without LibreOffice
    result = preflight(path, path.name)
    assert (result.ok, result.kind, [i.code for i in result.issues]) == (True, "xls", ["file_legacy_format"])
    assert (hostile.SHEET, 31, 5) in read_isolated(calamine_read_all, str(path), timeout=60)


# --- read_isolated ------------------------------------------------------------------------------


def test_read_isolated_returns_the_result() -> None:
    assert read_isolated(add, 2, 3) == 5


def test_read_isolated_reraises_the_readers_exception() -> None:
    with pytest.raises(ValueError, match="坏文件"):
        read_isolated(fail, "坏文件")


def test_read_isolated_stops_a_hang() -> None:
    start = time.perf_counter()
    with pytest.raises(ReaderCrashed, match="未完成"):
        read_isolated(sleep, 30, timeout=1)
    assert time.perf_counter() - start < 10


def test_read_isolated_survives_a_native_abort() -> None:
    with pytest.raises(ReaderCrashed) as caught:
        read_isolated(abort)
    assert "异常终止" in caught.value.detail
    if sys.platform != "win32":
        assert "SIGABRT" in caught.value.detail and caught.value.exitcode == -6


@pytest.mark.parametrize("maker", [hostile.make_far_corner, hostile.make_dimension_lying])
def test_far_cells_of_an_ordinary_sheet_are_cut_out_and_named(tmp_path: Path, maker) -> None:
    """One note typed at XFD1048576 no longer costs the unit its file: the cell is cut out of the
    bytes handed to the reader (the file itself is untouched), named in a warning, and the rebuilt
    package passed the whole check again; calamine reads it in a process of its own without harm."""
    path = maker(tmp_path)
    before = _fingerprint(path)
    result = preflight(path, path.name)
    assert result.ok and [i.code for i in result.issues] == ["cells_far_cut"]
    warning = result.issues[0]
    assert (
        (warning.severity, warning.sheet) == ("warning", hostile.SHEET)
        and "XFD1048576" in warning.message
        and "请" in warning.message
    )
    assert _fingerprint(path) == before
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(result.data)
    assert preflight(cut, "cut.xlsx").issues == ()  # nothing far is left
    code = (
        f"import python_calamine as c; wb = c.CalamineWorkbook.from_path({str(cut)!r}); "
        f"print(len(wb.get_sheet_by_name({hostile.SHEET!r}).to_python()))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and int(done.stdout) < 100, done.stderr


@pytest.mark.parametrize(
    "maker",
    [
        hostile.make_prefixed_far_cell,
        hostile.make_cells_without_refs,
        hostile.make_rows_without_refs,
        hostile.make_decoy_workbook,
        hostile.make_sheet_part_not_named_xml,
        hostile.make_sheet_inside_workbook_part,
    ],
)
def test_far_cells_that_cannot_be_placed_exactly_still_refuse_the_file(tmp_path: Path, maker) -> None:
    assert [i.code for i in preflight(maker(tmp_path), "f").issues] == ["file_huge_range"]
