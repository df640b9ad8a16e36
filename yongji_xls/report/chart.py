"""The score-rate chart of the Word report, drawn with matplotlib (imported only when drawing).

Chinese labels need a CJK font, and the office machines, the CI box and developers' laptops name
theirs differently, so the font is looked up among the usual names of Windows, macOS and Linux.
With none, the chart is still drawn, labelled L1..L5 in ASCII (never tofu boxes), and a
``font_missing`` warning tells the office why.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path

from ..issues import Issue, issue
from ..scorecard import LevelScore

CJK_FONTS = (
    "Noto Sans CJK SC", "Noto Serif CJK SC", "SimHei", "Microsoft YaHei", "SimSun", "PingFang SC", "Heiti SC",
    "WenQuanYi Micro Hei", "Source Han Sans SC", "Source Han Sans CN", "Noto Sans CJK JP", "Noto Sans SC",
)


def find_cjk_font(candidates: Sequence[str] = CJK_FONTS) -> str | None:
    """The first installed font family among ``candidates`` (names as matplotlib reports them)."""
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    return next((name for name in candidates if name in installed), None)


def _labels(levels: Sequence[LevelScore], cjk: bool) -> list[str]:
    if cjk:
        return [lv.name for lv in levels]
    return [f"L{n}" for n in range(1, len(levels) + 1)]


def render_rate_chart(levels: Sequence[LevelScore], threshold: Fraction, path: Path, font: str | None = None, *, probe: bool = True) -> tuple[Path, list[Issue]]:
    """Bars of first-level score rates (percent) with the pass line; returns the PNG and issues.

    ``font`` forces a family (tests pass ``None`` with ``probe=False`` to simulate a machine
    without CJK fonts); by default the first installed CJK font is used.
    """
    import matplotlib

    matplotlib.use("Agg", force=True)
    from matplotlib import pyplot as plt

    family = font if font or not probe else find_cjk_font()
    issues: list[Issue] = [] if family else [issue("font_missing", detail="自评报告")]
    rates = [float(lv.rate * 100) for lv in levels]
    line = float(threshold * 100)
    text = {"family": [family, "DejaVu Sans"]} if family else {"family": ["DejaVu Sans"]}
    fig, ax = plt.subplots(figsize=(6.4, 2.8), dpi=200)
    try:
        colors = ["#2f6f9f" if r >= line else "#c0392b" for r in rates]
        bars = ax.bar(_labels(levels, bool(family)), rates, color=colors, width=0.55)
        ax.axhline(line, color="#d35400", linestyle="--", linewidth=1.2)
        ax.text(1.01, line, f"{line:g}%", color="#d35400", ha="left", va="center", transform=ax.get_yaxis_transform(), fontdict=text)
        for bar, rate in zip(bars, rates):
            ax.text(bar.get_x() + bar.get_width() / 2, rate + 1.5, f"{rate:.1f}%", ha="center", va="bottom", fontsize=9, fontdict=text,
                    bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.6})
        ax.set_ylim(0, 112)
        ax.set_ylabel("得分率（%）" if family else "Score rate (%)", fontdict=text)
        ax.set_title("各一级指标得分率" if family else "Score rate by first-level group (L1-L5)", fontdict=text)
        for label in ax.get_xticklabels():
            label.set_fontfamily(text["family"])
        ax.spines[["top", "right"]].set_visible(False)
        fig.tight_layout()
        path.parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(path, format="png")
    finally:
        plt.close(fig)
    return path, issues
