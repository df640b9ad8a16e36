"""For the faces: how figures, keys and files are shown and written.

The CLI and the web page import ``api`` (and ``issues``) only; these small helpers hand them the
few things of the stages below they show, so no face reaches past the door."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..issues import Issue, YongjiError, os_reason

if TYPE_CHECKING:
    from ..system.model import Spec


def zip_workbooks(data: bytes, display: str, member_limit: int) -> tuple[list[tuple[str, bytes]], list[Issue]]:
    """The workbook members of an uploaded .zip, bounded by the pre-flight's limits (member count,
    sizes, ratios, total) and ``member_limit`` per member, or none with the issue saying why."""
    from ..workbook.read.safety.zip_input import read_zip

    return read_zip(data, display, member_limit)


def zip_folder(folder: str | Path, dest: str | Path) -> Path:
    """The workbooks under ``folder`` as one .zip (templates, feedback) for a single download."""
    from ..files.bundle import zip_folder as _zip

    if not Path(folder).is_dir():
        raise YongjiError("bundle_missing", path=folder)
    try:
        return _zip(Path(folder), Path(dest))
    except OSError as e:
        raise YongjiError("write_failed", path=dest, reason=os_reason(e)) from e


def zip_outputs(out_dir: str | Path, dest: str | Path) -> Path | None:
    """Every file of the set the last run wrote into ``out_dir`` (its manifest: scores.json, the
    breakdown, the report, the internal brief, the feedback workbooks, whatever a later writer
    adds) as one .zip under the names they have in the folder; None when no set is there."""
    from ..files.bundle import zip_files
    from ..report.write_stage import written_set

    out_dir = Path(out_dir)
    files = [p for p in written_set(out_dir) or [] if (out_dir / p).is_file()]
    if not files:
        return None
    try:
        return zip_files(out_dir, files, Path(dest))
    except OSError as e:
        raise YongjiError("write_failed", path=dest, reason=os_reason(e)) from e


def show_figure(x: Any) -> str:
    """A score, points or a rate as every output shows it (exact fractions, 四舍五入)."""
    from fractions import Fraction

    from ..scoring.display import show

    return show(Fraction(x))


def show_value(x: Any) -> str:
    """A typed value as the user would write it: 168000, not 168000.0; text as it is."""
    from decimal import Decimal
    from fractions import Fraction

    from ..scoring.display import show_number

    if isinstance(x, (Decimal, Fraction, int)) and not isinstance(x, bool):
        return show_number(Fraction(x))
    return "" if x is None else str(x)


def words(spec: Spec, key: str) -> str:
    """A key in words (``I25.2`` → 「…第2项评分要点」, ``national.x@2024`` → 「2024年全国…」)."""
    from ..system.words import words as _words

    return _words(spec, key)


def words_in_text(spec: Spec, text: str) -> str:
    """``text`` with every key of the system it cites put in words."""
    from ..system.words import words_in_text as _in_text

    return _in_text(spec, text)


def readable(text: str, spec: Spec) -> str:
    """A reason or message with every key it names in words (national.x@2024 → 2024年全国…,
    I25.2 → the criterion's words): :func:`yongji_xls.system.words.words_in_text`."""
    from ..system.words import words_in_text

    return words_in_text(spec, text)


def note_key(indicator: str) -> str:
    """``I12.note``: the key of an indicator's 工作情况说明 row."""
    from ..system.keys import note_key as _note_key

    return _note_key(indicator)


def indicator_of(key: str) -> str:
    """The indicator a criterion, note or indicator key belongs to (``I12.1`` → ``I12``); ''
    for a data field, task or national key, which indicators read rather than belong to."""
    from ..system.keys import parse_key

    parsed = parse_key(key)
    return parsed.indicator if parsed is not None else ""


def base_key(key: str) -> str:
    """A key without its year: ``online_retail@2024`` → ``online_retail``."""
    from ..system.keys import base_of

    return base_of(key)


def safe_filename(stem: str, suffix: str = "") -> str:
    """A name valid on Windows, macOS and Linux for a stored file (:mod:`.files.safe_names`)."""
    from ..files.safe_names import safe_filename as _safe

    return _safe(stem, suffix)


def csv_cell(value: Any) -> Any:
    """A CSV cell that stays text: a leading = + - @ tab or CR gets an apostrophe (CSV injection)."""
    from ..files.csv_cells import neutralise_cell

    return neutralise_cell(value)


def write_text(path: str | Path, text: str, *, private: bool = False) -> Path:
    """``text`` written atomically (UTF-8): a reader never sees half a file. ``private``: readable
    by its owner only (0600 where the system has modes; a secret such as tokens)."""
    from ..files.atomic import write_text as _write

    return _write(path, text, private=private)


def write_table(
    path: str | Path,
    sheet: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    widths: dict[int, float] | None = None,
    private: bool = False,
) -> Path:
    """A one-sheet workbook: a bold header row, then ``rows`` (text stays text, never a formula);
    ``private`` as for :func:`write_text`."""
    from ..files.atomic import write_with
    from ..workbook.write.styles import new_workbook

    def build(tmp: Path) -> None:
        book = new_workbook(tmp)
        ws = book.add_worksheet(sheet)
        ws.write_row(0, 0, tuple(headers), book.add_format({"bold": True}))
        for n, row in enumerate(rows, 1):
            ws.write_row(n, 0, tuple(row))
        for col, width in (widths or {}).items():
            ws.set_column(col, col, width)
        book.close()

    return write_with(Path(path), build, private=private)
