"""What the page says instead of the command line's advice: the catalogue's sentences keep what
happened, and the page replaces what to do where the catalogue names a command or a flag."""

from __future__ import annotations

WEB_ADVICE = {
    "reference_missing": "请在“参考值”页填写该数值，保存后自动重新计算",
    "other_system": "请用生成这些模板时使用的指标体系重新启动本页面，或在“模板”页用当前指标体系重新生成模板后"
    "请各单位重新填报",
}
"""What to do on the page, for the codes whose catalogue text says what to do on the command line."""


def on_page(code: str, text: str) -> str:
    """``text`` (an issue's or a fatal error's sentence) with the page's advice for ``code``: its
    first sentence (what happened) kept, the rest (the command line's advice) replaced."""
    if code not in WEB_ADVICE:
        return text
    return text.split("。", 1)[0] + "。" + WEB_ADVICE[code]
