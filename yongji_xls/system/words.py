"""Keys in words: what a person reads wherever the code holds a key.

Keys (``online_retail@2023``, ``I25.2``, ``national.mediation_success_rate@2024``, ``I01@2023``,
``T03``) are the contract between workbooks, scores.json and the code; people never see them.
Every text written for a person — report, brief, workbooks' visible cells, pages, the CLI summary —
names a key through :func:`words`, so one table decides how each kind of key reads, and a sentence
that still carries keys (a scorer's reason) goes through :func:`words_in_text`.
"""

from __future__ import annotations

import re

from .keys import parse_key
from .model import Spec

NATIONAL_FALLBACK = "全国参考值"
_KEY_IN_TEXT = re.compile(
    r"(?<![A-Za-z0-9_.])(?:national\.[a-z_][a-z_0-9]*@\d{4}|[a-z][a-z0-9]*(?:_[a-z0-9]+)+@\d{4}|I\d{2}(?:\.\d+|\.note|@\d{4})?|T\d{2})(?![A-Za-z0-9_])"
)


def words(spec: Spec, key: str, *, detail: bool = False) -> str:
    """The Chinese name of ``key`` in this indicator system; ``detail`` adds a criterion's own
    text (「…第2项评分要点：…」). A text that is not a key of this system comes back unchanged,
    so callers can pass what they hold without asking first."""
    text = str(key).strip()
    if any(ls.key == text for ls in spec.lists) and not _is_indicator(spec, text):
        return spec.list_spec(text).title
    k = parse_key(text)
    if k is None:
        return str(key)
    if k.kind == "national":
        label = spec.reference_labels.get(k.base, NATIONAL_FALLBACK)
        return f"{k.year}年{label}" if k.year else label
    if k.kind == "task":
        return _task(spec, k.base) or str(key)
    if k.kind in ("indicator", "criterion", "note") and not _is_indicator(spec, k.indicator):
        return str(key)
    if k.kind == "indicator":
        name = spec.indicator(k.base).name
        return f"{name}（{k.year}年）" if k.year else name
    if k.kind == "note":
        return f"{spec.indicator(k.base).name}（工作情况说明）"
    if k.kind == "criterion":
        return _criterion(spec, k.base, detail) or str(key)
    if spec.has_field(k.base):
        label = spec.field(k.base).label
        return f"{k.year}年{label}" if k.year else label
    return str(key)


def words_in_text(spec: Spec, text: str) -> str:
    """``text`` with every key of this system it contains put in words (a scorer's reason
    cites ``national.x@2024``; a message may cite ``online_retail@2023``)."""
    return _KEY_IN_TEXT.sub(lambda m: words(spec, m.group(0)), str(text))


def _is_indicator(spec: Spec, key: str) -> bool:
    return any(i.key == key for i in spec.indicators)


def _task(spec: Spec, key: str) -> str:
    try:
        task = spec.task(key)
    except KeyError:
        return ""
    return f"重点任务{task.no}：{task.title}"


def _criterion(spec: Spec, key: str, detail: bool) -> str:
    indicator, _, number = key.partition(".")
    criteria = spec.indicator(indicator).criteria
    n = int(number)
    if not 1 <= n <= len(criteria):
        return ""
    name = spec.indicator(indicator).name
    if len(criteria) == 1:
        head = f"{name}评分要点"
    else:
        head = f"{name}第{n}项评分要点"
    return f"{head}：{criteria[n - 1].text}" if detail else head
