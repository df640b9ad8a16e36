"""A catalogued sentence that is still a ``str``: the base of scoring reasons and spec problems.

Reasons and spec problems used to be f-strings, read as text by every writer (workbook, report,
web page, scores.json) and compared as text by the tests. Making them ``str`` subclasses that
also carry the catalogue ``code`` and the template ``params`` keeps every one of those consumers
working unchanged while a front-end or scores.json can now react by code. ``__reduce__`` is
explicit so a value survives pickling (the scoring helper process, the spec cache) with its code.

The text is always ``prefix + template.format(**params)`` followed by each of ``notes`` after
``；`` (:meth:`rebuilt` recomputes it): ``prefix`` locates a problem (「indicators.yaml: 路径: 」),
``notes`` are catalogued clauses appended to a reason (a figure taken from a cross-check unit).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, ClassVar, TypeVar

_T = TypeVar("_T", bound="CodedText")
NOTE_SEPARATOR = "；"


class CodedText(str):
    """Text built from ``catalogue[code]``; subclasses name their catalogue."""

    catalogue: ClassVar[Mapping[str, str]] = {}
    code: str
    params: dict[str, Any]
    prefix: str
    notes: tuple[str, ...]

    @classmethod
    def make(cls: type[_T], code: str, /, **params: Any) -> _T:
        """The sentence of ``code`` with ``params``; an unknown code or a missing parameter is a
        programming error (KeyError), never a blank in the text."""
        template = cls.catalogue[code]
        return cls._build(template.format(**params), code, params, "", ())

    @classmethod
    def _build(cls: type[_T], text: str, code: str, params: Mapping[str, Any], prefix: str, notes: Iterable[str]) -> _T:
        obj = str.__new__(cls, text)
        obj.code, obj.params, obj.prefix, obj.notes = code, dict(params), prefix, tuple(notes)
        return obj

    def with_notes(self: _T, notes: Iterable[str]) -> _T:
        """The same code with catalogued clauses appended after 「；」."""
        extra = tuple(notes)
        if not extra:
            return self
        return self._build(NOTE_SEPARATOR.join((self, *extra)), self.code, self.params, self.prefix, self.notes + extra)

    def located(self: _T, prefix: str) -> _T:
        """The same code with a location in front (「文件: 路径: 」, 「工作表「…」第3行：」)."""
        return self._build(prefix + self, self.code, self.params, prefix + self.prefix, self.notes)

    def rebuilt(self) -> str:
        """The text recomputed from code, params, prefix and notes (equal to ``str(self)``)."""
        body = self.catalogue[self.code].format(**self.params)
        return self.prefix + NOTE_SEPARATOR.join((body, *self.notes))

    def __reduce__(self) -> tuple[Any, ...]:
        return (_restore, (type(self), str(self), self.code, self.params, self.prefix, self.notes))


def _restore(
    cls: type[CodedText], text: str, code: str, params: dict[str, Any], prefix: str, notes: tuple[str, ...]
) -> CodedText:
    return cls._build(text, code, params, prefix, notes)


def code_of(text: object) -> str | None:
    """The catalogue code of a text, or None for plain text (user notes, joined sentences)."""
    return text.code if isinstance(text, CodedText) else None
