"""Golden outputs compared by meaning: what the breakdown workbook and the Word report *say*.

XlsxWriter compares its files with Excel's part by part, ignoring timestamps; we compare what a
reader of ours sees instead, so that a change of wording, of a header, of a validation or of a
score shows up as a short diff in review, while styles, column widths, zip order and fonts do not.

* **One fixed run.** :func:`fixture_outputs` runs the bundled ``sample_workbooks/`` through
  ``api.run`` (with the bundled previous year, ``sample_previous/``, as ``demo`` does) and
  ``api.write_outputs``. What would vary between runs is fixed at the input, not
  normalised away: the run's time (``api.run(now=...)``, shown as 生成时间, in ``_meta`` and as
  the report's date) and the input files' modification times (the merge's tie-break for two files
  of one unit). No absolute path reaches the outputs. The machine's CJK font changes the report's
  chart, which is compared as an image entry (not its pixels); a machine with none gets an ASCII
  chart *and* a legend paragraph, so the run refuses such a machine (:class:`MachineUnfit`)
  rather than normalise a real difference away.
* **Meaning, not bytes.** :func:`breakdown_meaning` (openpyxl): per sheet, in workbook order, its
  state, protection, frozen panes, filter, print setup (orientation, title rows, header and footer
  texts), merged ranges, data validations, charts (kind, title, series and the ranges they plot)
  and non-empty cell values (numbers as numbers, dates ISO).
  :func:`report_meaning` (python-docx): the core properties people see, each section's headers
  and footers, and the body in document order — paragraphs (style and text, empty ones skipped),
  images and tables (rows of cell texts, a merged cell once).
* **Readable text.** :func:`render` writes a meaning as JSON with one entry per line (a cell, a
  paragraph, a table row), each line knowing its path, so :func:`difference` can show a short
  unified diff whose hunks say where they are (``@@ sheets › 核定 › validations[0] @@``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from yongji_xls.system.model import Spec

ROOT = Path(__file__).resolve().parents[2]
GOLDEN_DIR = ROOT / "tests" / "golden"
SAMPLES = ROOT / "sample_workbooks"
PREVIOUS = ROOT / "sample_previous" / "scores.json"  # demo's last year: the 历年对比 sheet and sentence
REGEN_COMMAND = "python scripts/regen_golden.py"
# The run's time and the input files' modification time: fixed inputs, so every run says the same.
FIXED_NOW = dt.datetime(2025, 3, 31, 9, 30, 0)
FIXED_MTIME = dt.datetime(2025, 3, 20, 8, 0, 0).timestamp()
GOLDEN_FILES = {"breakdown": "breakdown.json", "report": "report.json"}
LABELS = {"breakdown": "任务分解表", "report": "自评报告"}
MAX_DIFF_LINES = 40
TEMPLATES_ENV = "YONGJI_XLS_TEMPLATES"


# -- the fixture run -------------------------------------------------------------------------
class MachineUnfit(RuntimeError):
    """This machine cannot produce the golden outputs (it lacks what every office PC and CI has)."""


def fixture_outputs(work: Path, spec: Spec | None = None, executor: Any = None) -> dict[str, Path]:
    """Run the sample workbooks (copied into ``work/in`` with fixed modification times) and
    write the outputs into ``work/out``: output name -> path of the breakdown and the report.
    ``spec``: default the shipped system as ``api.run`` loads it; ``executor``: the caller's
    (its helper process then writes the report)."""
    from yongji_xls import api
    from yongji_xls.report.chart import find_cjk_font

    if find_cjk_font() is None:
        raise MachineUnfit(
            "No CJK font on this machine: the report's chart would be labelled L1..L5 with a legend paragraph, "
            "which the golden report does not have. Install one (Debian: fonts-noto-cjk, as .ci/run does)."
        )
    in_dir, out_dir = work / "in", work / "out"
    shutil.copytree(SAMPLES, in_dir)
    for path in in_dir.rglob("*"):
        os.utime(path, (FIXED_MTIME, FIXED_MTIME))
    with _shipped_wording():
        result = api.run(in_dir, spec=spec, now=FIXED_NOW, previous=PREVIOUS)
        written = api.write_outputs(result, out_dir, executor=executor)
    missing = [name for name in GOLDEN_FILES if name not in written.paths]
    if missing:
        raise AssertionError(f"the fixture run wrote no {missing}: {[i.message for i in written.issues]}")
    return {name: written.paths[name] for name in GOLDEN_FILES}


@contextlib.contextmanager
def _shipped_wording() -> Iterator[None]:
    """The shipped ``templates/*.j2``, even on a machine where an office's edited copy is set."""
    saved = os.environ.pop(TEMPLATES_ENV, None)
    try:
        yield
    finally:
        if saved is not None:
            os.environ[TEMPLATES_ENV] = saved


def meanings(paths: dict[str, Path]) -> dict[str, Any]:
    """Output name -> its meaning, for the outputs of :func:`fixture_outputs`."""
    return {"breakdown": breakdown_meaning(paths["breakdown"]), "report": report_meaning(paths["report"])}


# -- the breakdown workbook ------------------------------------------------------------------
def breakdown_meaning(path: Path) -> dict[str, Any]:
    """Every sheet of a workbook, in order, as what it says (no styles, widths or colours)."""
    import openpyxl

    wb = openpyxl.load_workbook(path)
    try:
        return {"sheets": {ws.title: _sheet(ws) for ws in wb.worksheets}}
    finally:
        wb.close()


def _sheet(ws: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"state": ws.sheet_state, "protected": bool(ws.protection.sheet)}
    if ws.freeze_panes:
        out["freeze_panes"] = ws.freeze_panes
    if ws.auto_filter.ref:
        out["auto_filter"] = ws.auto_filter.ref
    printed = _print_setup(ws)
    if printed:
        out["print"] = printed
    ranges = sorted(ws.merged_cells.ranges, key=lambda r: (r.min_row, r.min_col))
    out["merged"] = [r.coord for r in ranges]
    out["validations"] = [_validation(dv) for dv in ws.data_validations.dataValidation]
    out["charts"] = [_chart(chart) for chart in ws._charts]
    out["cells"] = {
        cell.coordinate: _value(cell.value) for row in ws.iter_rows() for cell in row if cell.value not in (None, "")
    }
    return out


def _print_setup(ws: Any) -> dict[str, Any]:
    """What goes on paper besides the cells: orientation, repeated title rows, header/footer texts."""
    out: dict[str, Any] = {}
    if ws.page_setup.orientation:
        out["orientation"] = ws.page_setup.orientation
    if ws.print_title_rows:
        out["title_rows"] = ws.print_title_rows
    for part in ("oddHeader", "oddFooter", "evenHeader", "evenFooter", "firstHeader", "firstFooter"):
        for pos in ("left", "center", "right"):
            text = getattr(getattr(ws.HeaderFooter, part), pos).text
            if text:
                out[f"{part}.{pos}"] = text
    return out


def _validation(dv: Any) -> dict[str, Any]:
    """A data validation's rule and the texts Excel shows with it (keys sorted: order is no meaning)."""
    fields = {
        "type": dv.type,
        "operator": dv.operator,
        "formula1": dv.formula1,
        "formula2": dv.formula2,
        "sqref": " ".join(sorted(str(dv.sqref).split(), key=_cell_order)),
        "allow_blank": bool(dv.allow_blank),
        "error_title": dv.errorTitle,
        "error": dv.error,
        "prompt_title": dv.promptTitle,
        "prompt": dv.prompt,
    }
    if dv.type == "list" and dv.formula1 and dv.formula1.startswith('"'):
        fields["items"] = dv.formula1.strip('"').split(",")
    return {k: fields[k] for k in sorted(fields) if fields[k] not in (None, "")}


def _chart(chart: Any) -> dict[str, Any]:
    """What a chart shows: its kind, title and each series' name, categories and values ranges."""
    series = []
    for ser in chart.series:
        name = (ser.tx.strRef.f if ser.tx.strRef is not None else ser.tx.v) if ser.tx is not None else None
        cat = (ser.cat.numRef or ser.cat.strRef) if ser.cat is not None else None
        val = ser.val.numRef if ser.val is not None else None
        series.append([name, cat.f if cat is not None else None, val.f if val is not None else None])
    return {"kind": chart.tagname, "title": _rich_text(chart.title), "series": series}


def _rich_text(title: Any) -> str | None:
    if title is None or title.tx is None or title.tx.rich is None:
        return None
    return "".join(run.t for para in title.tx.rich.p for run in (para.r or []))


def _cell_order(ref: str) -> tuple[int, int]:
    from openpyxl.utils.cell import coordinate_to_tuple

    return coordinate_to_tuple(ref.split(":")[0])


def _value(value: Any) -> Any:
    """A cell value as JSON: numbers and text as they are, dates and times ISO."""
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    if isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


# -- the Word report -------------------------------------------------------------------------
def report_meaning(path: Path) -> dict[str, Any]:
    """A .docx as what it says: properties, section headers/footers and the body in order."""
    import docx

    document = docx.Document(str(path))
    props = document.core_properties
    shown = {"title": props.title, "subject": props.subject, "author": props.author, "keywords": props.keywords}
    return {
        "properties": {k: shown[k] for k in sorted(shown) if shown[k]},
        "sections": [_section(s) for s in document.sections],
        "body": list(_body(document)),
    }


def _section(section: Any) -> dict[str, Any]:
    parts = {
        "header": section.header,
        "footer": section.footer,
        "even_page_header": section.even_page_header,
        "even_page_footer": section.even_page_footer,
        "first_page_header": section.first_page_header,
        "first_page_footer": section.first_page_footer,
    }
    out: dict[str, Any] = {"orientation": "landscape" if section.page_width > section.page_height else "portrait"}
    for name, part in parts.items():
        if not part.is_linked_to_previous:
            out[name] = [p.text for p in part.paragraphs if p.text.strip()]
    return out


def _body(document: Any) -> Iterator[dict[str, Any]]:
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    for element in document.element.body.iterchildren():
        if element.tag == qn("w:p"):
            paragraph = Paragraph(element, document)
            for image in element.iter(qn("wp:docPr")):
                yield {"image": image.get("descr") or image.get("name") or ""}
            if paragraph.text.strip():
                yield {"style": paragraph.style.name, "text": paragraph.text}
        elif element.tag == qn("w:tbl"):
            yield {"table": [_row(tr) for tr in element.iterchildren(qn("w:tr"))]}


def _row(tr: Any) -> list[Any]:
    """A table row's cell texts (its non-empty paragraphs, one per line); a cell spanning columns
    appears once as ``{"span": n, "text": …}``, a cell merged with the one above as ``null``."""
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    cells: list[Any] = []
    for tc in tr.iterchildren(qn("w:tc")):
        props = tc.find(qn("w:tcPr"))
        span = props.find(qn("w:gridSpan")) if props is not None else None
        merge = props.find(qn("w:vMerge")) if props is not None else None
        if merge is not None and merge.get(qn("w:val"), "continue") == "continue":
            cells.append(None)
            continue
        lines = (Paragraph(p, None).text for p in tc.iterchildren(qn("w:p")))
        text = "\n".join(line for line in lines if line.strip())
        cells.append({"span": int(span.get(qn("w:val"))), "text": text} if span is not None else text)
    return cells


# -- rendering and comparing -----------------------------------------------------------------
def render(meaning: Any) -> list[tuple[str, str]]:
    """``meaning`` as indented JSON, one entry per line, each line with the path it belongs to.

    A table row, a paragraph, a validation and a list of plain values (the merged ranges) stay on
    one line; dictionaries of entries (sheets, cells) are split, one key per line."""
    lines: list[tuple[str, str]] = []
    _render(meaning, "", 0, "", lines, in_list=False)
    return lines


def _scalar(v: Any) -> bool:
    return v is None or isinstance(v, (bool, int, float, str))


def _inline(v: Any, in_list: bool) -> bool:
    if isinstance(v, dict):
        return in_list and all(_scalar(x) or (isinstance(x, list) and all(map(_scalar, x))) for x in v.values())
    if isinstance(v, list):
        return in_list or all(map(_scalar, v))
    return True


def _render(v: Any, path: str, depth: int, prefix: str, lines: list[tuple[str, str]], in_list: bool) -> None:
    pad = " " * depth

    def dump(x: Any) -> str:
        return json.dumps(x, ensure_ascii=False)

    if _inline(v, in_list):
        lines.append((path, f"{pad}{prefix}{dump(v)}"))
        return
    items = list(v.items()) if isinstance(v, dict) else list(enumerate(v))
    if not items:
        lines.append((path, f"{pad}{prefix}{'{}' if isinstance(v, dict) else '[]'}"))
        return
    opening, closing = ("{", "}") if isinstance(v, dict) else ("[", "]")
    lines.append((path, f"{pad}{prefix}{opening}"))
    for n, (key, item) in enumerate(items):
        child = f"{path} › {key}" if isinstance(v, dict) else f"{path}[{key}]"
        label = f"{dump(key)}: " if isinstance(v, dict) else ""
        _render(item, child.removeprefix(" › "), depth + 1, label, lines, not isinstance(v, dict))
        if n < len(items) - 1:
            last_path, last = lines[-1]
            lines[-1] = (last_path, last + ",")
    lines.append((path, f"{pad}{closing}"))


def text_of(meaning: Any) -> str:
    """The golden file's text for ``meaning`` (what :func:`render` writes, newline-terminated)."""
    return "\n".join(line for _, line in render(meaning)) + "\n"


def difference(name: str, golden: Any, actual: Any, limit: int = MAX_DIFF_LINES) -> str | None:
    """None when ``actual`` says what ``golden`` says; else a short unified diff (at most
    ``limit`` changed lines), each hunk headed by the path of its first change."""
    want, got = render(golden), render(json.loads(json.dumps(actual)))
    a, b = [line for _, line in want], [line for _, line in got]
    if a == b:
        return None
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    changed = sum(max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal")
    count = f"{changed} line differs" if changed == 1 else f"{changed} lines differ"
    out = [
        f"{LABELS.get(name, name)} no longer says what tests/golden/{GOLDEN_FILES.get(name, name)} says ({count}). "
        f"If the change is intended, run `{REGEN_COMMAND}` and review the golden diff.",
        "--- golden",
        "+++ actual",
    ]
    shown = 0
    for group in matcher.get_grouped_opcodes(1):
        tag, i1, _, j1, _ = next(op for op in group if op[0] != "equal")
        where = got[j1][0] if tag == "insert" else want[i1][0]
        out.append(f"@@ {where or '(top)'} @@")
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                out.extend(f" {line}" for line in a[i1:i2])
                continue
            for line in [f"-{x}" for x in a[i1:i2]] + [f"+{x}" for x in b[j1:j2]]:
                if shown == limit:
                    out.append(f"… {count} in all; the diff stops after {limit} changed lines")
                    return "\n".join(out)
                out.append(line)
                shown += 1
    return "\n".join(out)


def golden_path(name: str, folder: Path = GOLDEN_DIR) -> Path:
    return folder / GOLDEN_FILES[name]


def read_golden(name: str, folder: Path = GOLDEN_DIR) -> Any:
    return json.loads(golden_path(name, folder).read_text("utf-8"))


def write_golden(name: str, meaning: Any, folder: Path = GOLDEN_DIR) -> bool:
    """Write ``meaning`` as the golden file of ``name``; True when its text changed."""
    path = golden_path(name, folder)
    text = text_of(json.loads(json.dumps(meaning)))
    old = path.read_text("utf-8") if path.is_file() else None
    if old == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8", newline="\n")
    return True


def regen_refusal(environ: dict[str, str] | os._Environ[str]) -> str | None:
    """Why golden files must not be rewritten here (under CI: a rewrite would hide the diff)."""
    if environ.get("CI", "").strip():
        return "CI is set: golden files are regenerated on purpose on a developer's machine, never in CI."
    return None
