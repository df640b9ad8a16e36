"""What is not evidence: the placeholder texts of the system data (``system.yaml``
``evidence_placeholders``: 无, 暂无, 待补充, 见附件, 同上 …), the patterns beside them
(``evidence_placeholder_patterns``: 详见附件1-5, a bare number, one character repeated) and the one
form in which a unit's text is compared with them. Both are data; :attr:`.model.Spec.placeholders`
and :attr:`.model.Spec.placeholder_patterns` hold them, and :func:`matcher` is the one test every
path applies (the reader's warnings on cells, the evidence rule of ``run`` and ``score --values``).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Collection, Sequence
from typing import Any

_ANNEX_NO = re.compile(r"附件\s*[\d一二三四五六七八九十]{0,3}\s*$")
_PLACEHOLDER_SPLIT = re.compile(r"[，,、。.\s()（）\[\]【】:：;；]+")
_END_PUNCT = re.compile(r"^[\s。.，,、；;：:!！]+|[\s。.，,、；;：:!！]+$")


def placeholder_key(text: str) -> str:
    """The form in which a text is compared with the placeholder list (NFKC, case, spaces, end punctuation)."""
    text = unicodedata.normalize("NFKC", text).casefold()
    stripped = _ANNEX_NO.sub("附件", _END_PUNCT.sub("", text))  # 见附件1 names no material either
    return stripped or text.strip()


def is_placeholder(text: str, placeholders: Collection[str], patterns: re.Pattern[str] | None = None) -> bool:
    """True for a text that only says there is nothing (无, 暂无, 见附件, N/A, …) or matches one of
    the ``patterns`` (compiled by :func:`compile_patterns`), also when it strings several of them
    together (暂无，后补; 无（待补充）)."""
    if not text.strip():
        return False

    def empty(key: str) -> bool:
        return key in placeholders or (patterns is not None and patterns.fullmatch(key) is not None)

    key = placeholder_key(text)
    if empty(key):
        return True
    parts = [p for p in _PLACEHOLDER_SPLIT.split(key) if p]
    return bool(parts) and len(parts) > 1 and all(empty(placeholder_key(p)) for p in parts)


def compile_patterns(patterns: Sequence[str]) -> re.Pattern[str] | None:
    """The data's patterns as one regex (each must match a whole text in :func:`placeholder_key`
    form); raises ``re.error`` for a pattern that does not compile (a load problem)."""
    return re.compile("|".join(f"(?:{p})" for p in patterns)) if patterns else None


def matcher(spec: Any) -> Callable[[str], bool]:
    """``text -> True`` when it is no material and no 说明 in this system: the list and the
    patterns of its data, compiled once per Spec."""
    return spec.derived.memo(_matcher)


CACHED_CHARS = 64  # verdicts on texts up to this long are remembered (无, 是, 见附件1, short material names)


def _matcher(spec: Any) -> Callable[[str], bool]:
    placeholders, patterns = frozenset(spec.placeholders), compile_patterns(spec.placeholder_patterns)

    @functools.lru_cache(maxsize=4096)
    def short(text: str) -> bool:
        return is_placeholder(text, placeholders, patterns)

    def empty(text: str) -> bool:  # a pure verdict per text: the bounded cache cannot change it
        if not text:
            return False
        return short(text) if len(text) <= CACHED_CHARS else is_placeholder(text, placeholders, patterns)

    return empty
