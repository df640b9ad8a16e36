"""The Excel edge: the workbook layout (key <-> cell), the template writer and the reader.

Only :mod:`.layout` is imported eagerly (it is light); ``read_workbook`` and ``write_templates``
load their Excel libraries on first use, so importing the package stays cheap.
"""

from __future__ import annotations

from typing import Any

from . import layout

__all__ = ["layout", "read_workbook", "write_templates"]


def __getattr__(name: str) -> Any:
    if name == "read_workbook":
        from .reader import read_workbook

        return read_workbook
    if name == "write_templates":
        from .template_writer import write_templates

        return write_templates
    raise AttributeError(name)
