"""The score-rate chart of the Word report, drawn with Pillow.

Five bars and a dashed pass line do not need a plotting library: matplotlib cost ~450 ms of
imports per run (pyplot), more than reading all the workbooks, so the chart is drawn directly
(~20 ms; see docs/performance.md). Chinese labels need a CJK font file, found among the usual
places of Windows, macOS and Linux. With none, the chart is labelled L1..L5 in ASCII with
Pillow's built-in font (never tofu boxes), and a ``font_missing`` warning tells the office why.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Sequence
from fractions import Fraction
from pathlib import Path

from ..issues import Issue, issue
from ..scoring.scorecard import LevelScore

# File names of CJK fonts, best first (Windows, macOS, Linux distributions).
CJK_FONT_FILES = (
    "msyh.ttc",
    "msyh.ttf",
    "simhei.ttf",
    "Deng.ttf",
    "simsun.ttc",
    "simfang.ttf",
    "PingFang.ttc",
    "STHeiti Light.ttc",
    "STHeiti Medium.ttc",
    "Hiragino Sans GB.ttc",
    "Songti.ttc",
    "NotoSansCJK-Regular.ttc",
    "NotoSansCJKsc-Regular.otf",
    "NotoSansSC-Regular.otf",
    "NotoSerifCJK-Regular.ttc",
    "SourceHanSansSC-Regular.otf",
    "SourceHanSans-Regular.ttc",
    "wqy-microhei.ttc",
    "wqy-zenhei.ttc",
    "DroidSansFallbackFull.ttf",
)
W, H = 1280, 560
BLUE, RED, ORANGE, GREY, INK = (47, 111, 159), (192, 57, 43), (211, 84, 0), (220, 220, 220), (40, 40, 40)


def _font_dirs() -> Iterator[Path]:
    if sys.platform.startswith("win"):
        yield Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"
        yield Path(os.environ.get("LOCALAPPDATA", "")) / "Microsoft" / "Windows" / "Fonts"
    elif sys.platform == "darwin":
        yield from (
            Path("/System/Library/Fonts"),
            Path("/System/Library/Fonts/Supplemental"),
            Path("/Library/Fonts"),
            Path.home() / "Library/Fonts",
        )
    else:
        yield from (
            Path("/usr/share/fonts"),
            Path("/usr/local/share/fonts"),
            Path.home() / ".local/share/fonts",
            Path.home() / ".fonts",
        )


def find_cjk_font() -> str | None:
    """Path of the first CJK font file found (by the preference order of ``CJK_FONT_FILES``)."""
    names = CJK_FONT_FILES
    found: dict[str, str] = {}
    wanted = {n.lower() for n in names}
    for folder in _font_dirs():
        if not folder.is_dir():
            continue
        for root, _, files in os.walk(folder):
            for f in files:
                if f.lower() in wanted:
                    found.setdefault(f.lower(), os.path.join(root, f))
    return next((found[n.lower()] for n in names if n.lower() in found), None)


def _truetype(path: str, size: int):  # noqa: ANN202 - a PIL font
    """The Simplified-Chinese face of a font collection (Noto CJK .ttc holds JP, KR, SC, TC…)."""
    from PIL import ImageFont

    for index in range(8):
        try:
            font = ImageFont.truetype(path, size, index=index)
        except OSError:
            break
        if "SC" in " ".join(font.getname()) or "GB" in " ".join(font.getname()):
            return font
    return ImageFont.truetype(path, size)


def _labels(levels: Sequence[LevelScore], cjk: bool) -> list[str]:
    if cjk:
        return [lv.name for lv in levels]
    return [f"L{n}" for n in range(1, len(levels) + 1)]


def _dashed(draw, y: int, x0: int, x1: int) -> None:  # noqa: ANN001
    for x in range(x0, x1, 24):
        draw.line([(x, y), (min(x + 14, x1), y)], fill=ORANGE, width=3)


def render_rate_chart(levels: Sequence[LevelScore], threshold: Fraction, path: Path) -> tuple[Path, list[Issue]]:
    """Bars of first-level score rates (percent) with the pass line, as the PNG ``path`` (named
    ``*.png``); returns it and the issues.

    Labels use the first CJK font found; without one they are ASCII (L1, L2, …) and
    ``font_missing`` is reported.
    """
    from PIL import Image, ImageDraw, ImageFont

    font_path = find_cjk_font()
    issues: list[Issue] = [] if font_path else [issue("font_missing", detail="自评报告")]

    def face(size: int):  # noqa: ANN202
        return _truetype(font_path, size) if font_path else ImageFont.load_default(size=size)

    img = Image.new("RGB", (W, H), "white")
    d = ImageDraw.Draw(img)
    left, right, top, bottom = 120, W - 110, 80, H - 70
    scale = (bottom - top) / 110
    y_of = lambda v: bottom - v * scale  # noqa: E731
    small, label, title = face(22), face(26), face(30)
    for v in range(0, 101, 20):
        y = y_of(v)
        d.line([(left, y), (right, y)], fill=GREY, width=1)
        d.text((left - 12, y), f"{v}", fill=INK, font=small, anchor="rm")
    d.line([(left, top - 10), (left, bottom)], fill=INK, width=2)
    d.line([(left, bottom), (right, bottom)], fill=INK, width=2)
    d.text(
        (W / 2, 30),
        "各一级指标得分率" if font_path else f"Score rate by first-level group (L1-L{len(levels)})",
        fill=INK,
        font=title,
        anchor="mm",
    )
    d.text((left - 100, top - 40), "得分率（%）" if font_path else "Rate (%)", fill=INK, font=small, anchor="lm")
    rates = [float(lv.rate * 100) for lv in levels]
    line = float(threshold * 100)
    slot = (right - left) / max(1, len(rates))
    from ..scoring.display import compare

    for n, (name, rate, lv) in enumerate(zip(_labels(levels, bool(font_path)), rates, levels)):
        cx = left + slot * (n + 0.5)
        half = slot * 0.28
        d.rectangle(
            [(cx - half, y_of(rate)), (cx + half, bottom)], fill=BLUE if lv.rate >= threshold else RED
        )  # exact, not float
        d.text(
            (cx, y_of(rate) - 8), compare(lv.rate * 100, threshold * 100).left + "%", fill=INK, font=small, anchor="mb"
        )
        d.text((cx, bottom + 14), name, fill=INK, font=label, anchor="mt")
    _dashed(d, round(y_of(line)), left, right)
    d.text((right + 10, y_of(line)), f"{line:g}%", fill=ORANGE, font=small, anchor="lm")
    path.parent.mkdir(parents=True, exist_ok=True)
    # Named by its extension, Pillow loads the PNG plugin alone (with format="PNG" it first loads
    # five image plugins, ~40 ms); the fastest deflate level costs ~5 KB on a ~40 KB chart.
    img.save(path, optimize=False, compress_level=1, dpi=(200, 200))
    return path, issues
