"""The analysts' CSV tables (report/frames.py): no cell of them becomes a formula."""

from __future__ import annotations

from helpers import CONTACT, fill_workbook
from returned import tax_file

from yongji_xls.collect.run import run

YEAR = 2024


def test_csv_cells_are_neutralised(spec, templates, tmp_path):
    import csv

    from yongji_xls.report.frames import write_csv

    folder = tmp_path / "in"
    folder.mkdir()
    tax_file(templates, folder / "=HYPERLINK(1).xlsx")
    fill_workbook(templates["市邮政分公司"], {"express_volume@2024": 5}, folder / "@SUM(1).xlsx", contact=CONTACT)
    paths = write_csv(run(spec, folder, YEAR), tmp_path / "csv")
    with open(paths["原始数据.csv"], encoding="utf-8-sig", newline="") as f:
        cells = [c for row in csv.reader(f) for c in row]
    files = [c for c in cells if "HYPERLINK" in c or "SUM(1)" in c]
    assert len(set(files)) == 2 and all(c.startswith("'") for c in files)
    assert not any(c.startswith(("=", "+", "-", "@", "\t", "\r")) for c in cells)
