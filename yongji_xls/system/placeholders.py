"""What is not evidence: the placeholder texts of the system data (``system.yaml``
``evidence_placeholders``: 无, 暂无, 待补充, 见附件, 同上 …) and the one form in which a unit's text is
compared with them. The list is data; :attr:`.model.Spec.placeholders` holds it in this form, and
the evidence rule drops what matches (:func:`yongji_xls.values.types.without_placeholders`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection

_ANNEX_NO = re.compile(r"附件\s*[\d一二三四五六七八九十]{0,3}\s*$")
_PLACEHOLDER_SPLIT = re.compile(r"[，,、。.\s()（）\[\]【】:：;；]+")
_END_PUNCT = re.compile(r"^[\s。.，,、；;：:!！]+|[\s。.，,、；;：:!！]+$")


def placeholder_key(text: str) -> str:
    """The form in which a text is compared with the placeholder list (NFKC, case, spaces, end punctuation)."""
    text = unicodedata.normalize("NFKC", text).casefold()
    stripped = _ANNEX_NO.sub("附件", _END_PUNCT.sub("", text))  # 见附件1 names no material either
    return stripped or text.strip()


def is_placeholder(text: str, placeholders: Collection[str]) -> bool:
    """True for a text that only says there is nothing (无, 暂无, 见附件, N/A, …), also when it
    strings several of them together (暂无，后补; 无（待补充）)."""
    if not text.strip():
        return False
    key = placeholder_key(text)
    if key in placeholders:
        return True
    parts = [p for p in _PLACEHOLDER_SPLIT.split(key) if p]
    return bool(parts) and len(parts) > 1 and all(placeholder_key(p) in placeholders for p in parts)
