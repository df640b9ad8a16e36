"""How a breakdown sheet prints on A4: the orientation, an explicit scale, and page-wide column groups.

Fitting a wide sheet to one page width squeezed 单位任务清单 (46 columns) and 重点任务进展 (44) to
unreadable sizes. Here the scale is decided by the tool and written into the file, never left
to the application: a sheet prints on one page width when it fits at :data:`MIN_SCALE` % or more
(the 10 pt cells then print at 9 pt at least), portrait when it fits there, else landscape;
otherwise at 100 % in column groups that each fill a page width, with the identifying columns
repeated on every page (print titles) and the breaks put between groups of related columns
(the first-level groups of the indicators) where they fit. Widths follow Excel's rule for the
default font (7-pixel digits, 5 pixels of padding), which LibreOffice and WPS share.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

PAGE_POINTS = {True: 842.0, False: 595.0}  # A4 width, landscape / portrait
SIDE_MARGIN_IN = 0.3
TOP_MARGIN_IN = 0.5
DIGIT_PX = 8.6  # the widest digit of the Normal font an application may substitute (see above)
SAFETY = 0.97  # rounding in the applications' own width arithmetic
MIN_SCALE = 90  # % : the 10 pt body prints at 9 pt or more
FOOTER = "&C&A　第&P页，共&N页"  # the sheet's name and the page number on every printed page


def column_points(width: float) -> float:
    """Printed width of a column of ``width`` characters, at most (see the module's note)."""
    return (width + 5 / 7) * DIGIT_PX * 0.75


def usable(landscape: bool) -> float:
    return (PAGE_POINTS[landscape] - 2 * SIDE_MARGIN_IN * 72) * SAFETY


@dataclass(frozen=True)
class Layout:
    landscape: bool
    scale: int  # % written into the file
    breaks: tuple[int, ...] = ()  # 0-based columns starting a new page width
    repeat: int = 0  # leading columns printed on every page width


def layout(
    widths: Sequence[float], repeat: int = 0, natural: Sequence[int] = (), height: float = 0.0, head: float = 60.0
) -> Layout:
    """The print layout of columns of ``widths``: one page width at ≥ :data:`MIN_SCALE` %
    (portrait preferred), else column groups at 100 % after the ``repeat`` leading columns,
    breaking at the ``natural`` group starts where a group fits, in the orientation that takes
    fewer pages for rows ``height`` points tall in all under ``head`` points of title and
    header rows repeated on every page (landscape when the height is unknown)."""
    total = sum(column_points(w) for w in widths)
    for landscape in (False, True):
        scale = min(100, int(usable(landscape) / total * 100)) if total else 100
        if scale >= MIN_SCALE:
            return Layout(landscape, scale)
    options = [_groups(widths, repeat, natural, landscape) for landscape in (True, False)]
    return min(options, key=lambda lay: (len(lay.breaks) + 1) * -(-height // _page_height(lay.landscape, head)))


FOOTER_POINTS = 30  # the footer line and its distance, taken from the page body by some applications


def _page_height(landscape: bool, head: float) -> float:
    return PAGE_POINTS[not landscape] - 2 * TOP_MARGIN_IN * 72 - FOOTER_POINTS - head


def _groups(widths: Sequence[float], repeat: int, natural: Sequence[int], landscape: bool) -> Layout:
    head = sum(column_points(w) for w in widths[:repeat])
    room = usable(landscape) - head
    starts = set(natural)
    breaks: list[int] = []
    used, last_natural = 0.0, None
    for col in range(repeat, len(widths)):
        w = column_points(widths[col])
        if col in starts:
            last_natural = col
        if used + w > room and col > repeat:
            floor = breaks[-1] if breaks else repeat
            cut = last_natural if last_natural is not None and last_natural > floor else col
            breaks.append(cut)
            used = sum(column_points(widths[c]) for c in range(cut, col + 1))
            last_natural = None
            continue
        used += w
    return Layout(landscape, 100, tuple(breaks), repeat)


def apply(ws: Any, lay: Layout, repeat_rows: tuple[int, int] | None, center: bool = False) -> None:
    """Write ``lay`` into an xlsxwriter worksheet: A4, margins, scale, breaks, print titles, footer."""
    ws.set_paper(9)
    if lay.landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    ws.set_margins(left=SIDE_MARGIN_IN, right=SIDE_MARGIN_IN, top=TOP_MARGIN_IN, bottom=TOP_MARGIN_IN)
    ws.set_print_scale(lay.scale)
    if lay.breaks:
        ws.set_v_pagebreaks(list(lay.breaks))
    if lay.repeat:
        ws.repeat_columns(0, lay.repeat - 1)
    if repeat_rows is not None:
        ws.repeat_rows(*repeat_rows)
    if center and not lay.breaks:
        ws.center_horizontally()
    ws.set_footer(FOOTER)
