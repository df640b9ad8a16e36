"""How an exact number is written: rounded half away from zero (四舍五入, never Python's
banker's rounding, never through a float), trailing zeros dropped when the figure is exact with
fewer decimals. Messages about what people typed use it (58 % typed as 0.58), and so does
:mod:`yongji_xls.scoring.display`, which decides how many decimals a compared figure needs.
"""

from __future__ import annotations

from fractions import Fraction

MAX_PLACES = 4


def terminating_places(x: Fraction) -> int | None:
    """Decimals of ``x``'s exact decimal expansion, or None if it does not terminate."""
    d, twos, fives = x.denominator, 0, 0
    while d % 2 == 0:
        d, twos = d // 2, twos + 1
    while d % 5 == 0:
        d, fives = d // 5, fives + 1
    return max(twos, fives) if d == 1 else None


def fixed(x: Fraction, places: int) -> str:
    """``x`` rounded half away from zero to ``places`` decimals, exactly (no float)."""
    scale = 10**places
    n = abs(x) * scale
    q = int(n + Fraction(1, 2))
    sign = "-" if x < 0 and q else ""
    text = str(q).rjust(places + 1, "0")
    return sign + (f"{text[:-places]}.{text[-places:]}" if places else text)


def shown(x: Fraction, places: int) -> str:
    """``x`` exactly when it needs at most ``places`` decimals (trailing zeros dropped), else rounded."""
    exact = terminating_places(x)
    if exact is not None and exact <= places:
        return fixed(x, exact)
    return fixed(x, places)


def plain(x: Fraction | int, places: int = MAX_PLACES) -> str:
    """A figure on its own: integers as integers, others with at most ``places`` decimals."""
    return shown(Fraction(x), places)
