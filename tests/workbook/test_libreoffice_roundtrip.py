"""Filled workbooks re-saved by LibreOffice (as .xlsx, .xls and .ods) read back identically.

Units often open the template in LibreOffice or WPS and save it again, sometimes in another
format. The conversions run once per module, in parallel, one soffice call per target format
(each with its own user profile so concurrent runs do not collide).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import YEAR
from helpers import CONTACT, Formula, fill_workbook, make_workbook, meta_rows, random_values

from yongji_xls.records import Submission
from yongji_xls.system.shares import unit_share
from yongji_xls.workbook import layout as L
from yongji_xls.workbook.read.reader import read_workbook

pytestmark = pytest.mark.slow  # LibreOffice

UNITS = ["市市场监管局", "市统计局", "市消费者协会"]
FORMATS = ["xlsx", "xls", "ods"]
TIMEOUT = 120


def _soffice() -> str:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        message = "LibreOffice (soffice) 未安装，无法进行LibreOffice往返测试"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return exe


def _convert_all(exe: str, jobs: list[tuple[str, list[Path], Path]], profiles: Path) -> None:
    """Run one soffice call per (format, files, outdir) concurrently; fail loudly on error."""
    procs = []
    for n, (fmt, files, outdir) in enumerate(jobs):
        outdir.mkdir(parents=True, exist_ok=True)
        profile = (profiles / f"profile{n}").as_uri()
        cmd = [
            exe,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--norestore",
            "--convert-to",
            fmt,
            "--outdir",
            str(outdir),
            *map(str, files),
        ]
        procs.append((cmd, subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)))
    for cmd, proc in procs:
        try:
            out, _ = proc.communicate(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
            pytest.fail(f"soffice timed out after {TIMEOUT}s: {cmd[-3:]}")
        assert proc.returncode == 0, out.decode("utf-8", "replace")


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory, templates: dict[str, Path], spec) -> dict[str, Path]:
    """'unit' -> filled .xlsx; 'unit|fmt' -> its LibreOffice re-save; 'pdf' -> a template as PDF."""
    exe = _soffice()
    base = tmp_path_factory.mktemp("lo")
    out: dict[str, Path] = {}
    for n, unit in enumerate(UNITS):
        values = random_values(spec, unit_share(spec, unit, YEAR), seed=100 + n, list_rows=22)
        out[unit] = fill_workbook(
            templates[unit], values, base / f"filled{n}.xlsx", contact=CONTACT, insert_above=2, reorder=True, seed=n
        )
    filled = [out[u] for u in UNITS]
    rows = [
        [L.KEY_HEADER, L.H_ITEM, L.H_VALUE],
        ["complaints_total", "投诉", Formula("=1/0", "#DIV/0!")],
        ["mediations_total", "调解", Formula("=1+1", 2)],
    ]
    errors = make_workbook(base / "errors.xlsx", {L.SHEET_DATA: rows, L.SHEET_META: meta_rows("市消费者协会")})
    jobs = [(fmt, filled + [errors], base / fmt) for fmt in FORMATS] + [("pdf", [templates[UNITS[0]]], base / "pdf")]
    _convert_all(exe, jobs, base)
    out["errors|ods"] = base / "ods" / "errors.ods"
    for n, unit in enumerate(UNITS):
        for fmt in FORMATS:
            out[f"{unit}|{fmt}"] = base / fmt / f"filled{n}.{fmt}"
    out["pdf"] = base / "pdf" / (templates[UNITS[0]].stem + ".pdf")
    return out


def _content(sub: Submission) -> tuple:
    """Everything a submission carries that must survive a re-save (not file names or cells)."""
    return (
        sub.unit,
        sub.year,
        {k: e.value for k, e in sub.values.items()},
        {k: (a.done, a.note, a.evidence, a.source.sheet) for k, a in sub.answers.items()},
        {k: sorted(repr(sorted(r.cells.items())) for r in rows) for k, rows in sub.lists.items()},
        {k: (t.status, t.progress, t.plan) for k, t in sub.tasks.items()},
        sub.contact,
        sorted(i.code for i in sub.issues),
        sub.rows_filled,
    )


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("unit", UNITS)
def test_resaved_by_libreoffice_reads_identically(unit: str, fmt: str, converted: dict[str, Path], spec) -> None:
    original = read_workbook(spec, converted[unit], "原件.xlsx", YEAR)
    resaved = read_workbook(spec, converted[f"{unit}|{fmt}"], f"另存.{fmt}", YEAR)
    assert original.issues == [] and original.rows_filled == unit_share(spec, unit, YEAR).rows_asked
    assert _content(resaved) == _content(original)
    assert {k: e.source.cell for k, e in resaved.values.items()} == {
        k: e.source.cell for k, e in original.values.items()
    }


def test_template_opens_in_libreoffice(converted: dict[str, Path]) -> None:
    pdf = converted["pdf"]
    assert pdf.is_file() and pdf.read_bytes()[:5] == b"%PDF-" and pdf.stat().st_size > 10_000


def test_ods_error_and_formula_cells_are_reported(converted: dict[str, Path], spec) -> None:
    sub = read_workbook(spec, converted["errors|ods"], "errors.ods", YEAR)
    shape = ("keys_missing", "label_changed")  # a hand-made book lacks the template's other rows and labels
    assert [(i.code, i.sheet, i.cell) for i in sub.issues if i.code not in shape] == [
        ("value_error_cell", L.SHEET_DATA, "C2"),
        ("value_formula", L.SHEET_DATA, "C3"),
    ]
    assert (
        sub.issues[0].value == "#DIV/0!"
        and sub.number("mediations_total") == 2
        and "complaints_total" not in sub.values
    )
