"""Memory follows the cells present (issue 20 §5): a tiny .xls whose cells span 65536 × 256.

POI's 51535.xls (42 KB) has a label at IV65536; calamine builds a dense grid from A1 to the
farthest cell, 1.2 GB. The far cells are cut out of the bytes the reader parses (the compound
file patched in place) and named, as for .xlsx; the rest of the file is read."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from hostile_ole import far_cells_xls

from yongji_xls.workbook.read.safety.xls_scan import cut_far_xls

CELLS = [(0, 0, "单位"), (0, 255, "右上"), (65535, 0, "左下"), (65535, 255, "远处")]


def test_the_far_cells_of_an_xls_are_cut_in_place_and_named():
    data = far_cells_xls(CELLS)
    cut, far = cut_far_xls(data, 20000, 200)
    assert far == {"Sheet1": ["IV1", "A65536", "IV65536"]}
    assert len(cut) == len(data) and cut != data
    assert cut_far_xls(cut, 20000, 200)[1] == {}  # nothing far is left


def test_a_tiny_xls_declaring_the_whole_sheet_is_read_within_300_mb(tmp_path):
    path = tmp_path / "51535式.xls"
    path.write_bytes(far_cells_xls(CELLS))
    code = textwrap.dedent(
        f"""
        import resource, sys
        from pathlib import Path
        from yongji_xls.system.load import load_spec
        from yongji_xls.workbook.read.reader import read_workbook
        sub = read_workbook(load_spec(), Path({str(path)!r}), "51535式.xls", 2024)
        try:  # this process's own peak: ru_maxrss would carry the parent's (pytest's) across exec
            peak = next(int(x.split()[1]) for x in open("/proc/self/status") if x.startswith("VmHWM:"))
        except OSError:
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(peak // 1024)
        print("|".join(f"{{i.code}}:{{i.sheet}}:{{i.message}}" for i in sub.issues))
        """
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    peak, issues = out.stdout.splitlines()
    assert int(peak) <= 300, f"peak {peak} MB"  # 1.2 GB before the cut
    assert "cells_far_cut:Sheet1:" in issues and "IV65536" in issues
    assert "meta_missing" in issues  # the rest is read: a sheet with no _meta is named as such
