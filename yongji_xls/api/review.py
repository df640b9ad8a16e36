"""What the office types on the page and the tool keeps in files: 核定得分 rows of the review file,
and the national reference figures of the ``--reference`` file."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..issues import Issue, YongjiError, os_reason
from .system import load_system

if TYPE_CHECKING:
    from ..system.model import Spec


def write_review(path: str | Path, entries: dict[str, tuple[str, str]], *, spec: Spec | None = None) -> Path:
    """A review file holding 核定得分/核定说明 typed outside Excel (the web page); pass it as
    ``run(review=...)``, whose reader validates every entry."""
    from ..workbook.write.review_file import write_review_file

    try:
        return write_review_file(spec or load_system(), Path(path), entries)
    except OSError as e:
        raise YongjiError("review_unwritable", path=path, reason=os_reason(e)) from e


def read_review(path: str | Path, *, spec: Spec | None = None) -> tuple[dict[str, tuple[Any, str]], list[Issue]]:
    """Indicator key -> (核定得分, 核定说明) of a review file, and its problems; never raises."""
    from ..workbook.read.review import read_review as _read

    return _read(spec or load_system(), Path(path))


def review_entries(path: str | Path, *, spec: Spec | None = None) -> dict[str, tuple[str, str]]:
    """Indicator key -> (核定得分 as typed, 核定说明) of every filled row of a review file, valid or not
    (a note without a score included): what the 核定 page shows and edits."""
    from ..workbook.read.review import read_entries

    return read_entries(spec or load_system(), Path(path))


def review_row_version(entry: tuple[str, str] | None) -> str:
    """The version of one review row as a page loaded it (:func:`save_review_row` compares it)."""
    from ..workbook.write.review_file import row_version

    return row_version(entry)


def save_review_row(
    path: str | Path, key: str, score: str, note: str, loaded_version: str, *, spec: Spec | None = None
) -> Any:
    """Save one indicator's 核定得分 and 核定说明, the other rows untouched; nothing is written when
    the row changed since the page loaded it (``RowSave.conflict``, with what the row holds now)."""
    from ..workbook.write.review_file import save_row

    try:
        return save_row(spec or load_system(), Path(path), key, (score, note), loaded_version)
    except OSError as e:
        raise YongjiError("review_unwritable", path=path, reason=os_reason(e)) from e


def pending_references(spec: Spec, year: int | None = None) -> list[str]:
    """The national figures of the assessed years that the system does not ship (待核定 until entered)."""
    from ..values.reference_form import pending

    return pending(spec, year or spec.default_year)


def reference_entries(path: str | Path) -> dict[str, Any]:
    """Key -> (value, source, date) as entered, from a reference file (:func:`save_references`)."""
    from ..values.reference_form import read_entries

    return read_entries(Path(path))


def save_references(path: str | Path, entries: dict[str, tuple[str, str, str]], *, spec: Spec, year: int) -> Any:
    """Write the ``--reference`` file from entered figures (value, source, date), checked first by
    the reader ``run --reference`` uses; ``Saved.problems`` (nothing written) or ``Saved.warnings``."""
    from ..values.reference_form import Entry, save

    try:
        return save(Path(path), {k: Entry(*v) for k, v in entries.items()}, spec, year)
    except OSError as e:
        raise YongjiError("write_failed", path=path, reason=os_reason(e)) from e
