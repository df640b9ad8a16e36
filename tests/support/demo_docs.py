"""The demo's written documents as their readers see them (shared by the report-content tests)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

DATE = dt.date(2025, 1, 28)


def demo_written(out: Path, date: dt.date = DATE) -> tuple[Any, Path]:
    """Run the sample workbooks (as on 2025-01-20) and write every output into ``out``."""
    from yongji_xls import api

    result = api.run(api.sample_workbooks(), now=dt.datetime(2025, 1, 20, 9, 0))
    api.write_outputs(result, out, date=date)
    return result, out


def texts(path: Path) -> list[str]:
    """Every text of a Word file a reader sees: paragraphs, table cells, headers and footers."""
    import docx

    d = docx.Document(str(path))
    out = [p.text for p in d.paragraphs]
    out += [c.text for t in d.tables for r in t.rows for c in r.cells]
    for s in d.sections:
        for part in (s.header, s.footer, s.even_page_footer):
            out += [p.text for p in part.paragraphs]
    return out
