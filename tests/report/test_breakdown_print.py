"""The demo's task-breakdown workbook printed by LibreOffice: pages counted per sheet (every page's
footer names its sheet), the long evidence list within 15 pages, nothing squeezed (the scale
each sheet states times its smallest font is 9 pt or more is checked without LibreOffice in
test_breakdown.py), and the rendering shows every sheet's title."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from collections import Counter
from pathlib import Path

import openpyxl
import pytest
from factories import to_pdf

from yongji_xls import api

FOOTER = re.compile(r"(\S*?)\s*第(\d+)页，共(\d+)页")
PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)
WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)</word>')


def pages_per_sheet(pdf: Path, sheets: list[str]) -> tuple[Counter, int]:
    """Sheet name -> pages, from the footer each page prints at its foot (「单位任务清单　第19页，共91页」):
    the words in the bottom 50 points of the page, left to right (a layout extraction can move a
    footer's words elsewhere when a page holds rotated text; a merged cell's text may end just
    above it, hence the sheet name is the end of what precedes 「第n页」)."""
    xml = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    count: Counter = Counter()
    pages = PAGE.findall(xml)
    for _, height, body in pages:
        foot = sorted((float(x), w) for x, y, w in WORD.findall(body) if float(y) > float(height) - 50)
        found = FOOTER.search("".join(w for _, w in foot))
        name = next((s for s in sorted(sheets, key=len, reverse=True) if found and found.group(1).endswith(s)), "?")
        count[name] += 1
    return count, len(pages)


@pytest.mark.slow  # LibreOffice
def test_the_breakdown_prints_legibly_in_a_bounded_number_of_pages(tmp_path):
    result = api.run(api.sample_workbooks(), now=dt.datetime(2025, 1, 20, 9, 0))
    api.write_outputs(result, tmp_path / "out")
    book = tmp_path / "out" / "任务分解表_2024年度.xlsx"
    (pdf,) = to_pdf([book], tmp_path)
    sheets = [n for n in openpyxl.load_workbook(book, read_only=True).sheetnames if not n.startswith("_")]
    count, total = pages_per_sheet(pdf, sheets)
    assert count["?"] == 0, count  # every page says which sheet it is
    assert set(count) == set(sheets), count
    assert count["佐证材料清单"] <= 15, count  # 57 pages before issue 19
    assert count["单位任务清单"] >= 2 and count["重点任务进展"] >= 2  # split into page-wide groups, not squeezed
    assert total <= 100, count
