"""The outputs people read: the task-breakdown workbook, the Word report and its chart.

Imports are lazy so that ``import yongji_xls.report`` (and the CLI's ``--help``) does not load
xlsxwriter, python-docx, jinja2 or Pillow until an output is actually written.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from .breakdown import write_breakdown
    from .docx_report import write_docx_report
    from .review import read_review

__all__ = ["write_breakdown", "read_review", "write_docx_report"]
_HOMES = {"write_breakdown": ".breakdown", "read_review": ".review", "write_docx_report": ".docx_report"}


def __getattr__(name: str) -> Any:
    if name in _HOMES:
        from importlib import import_module

        return getattr(import_module(_HOMES[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
