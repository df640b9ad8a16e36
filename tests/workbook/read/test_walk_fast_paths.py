"""The reader's fast paths (issue 24, ingest) give exactly what the general path gives.

Each fast path skips work only when it can prove the result: these tests put the fast and the
general path side by side on inputs built to reach both, so a shortcut that drifts fails here."""

from __future__ import annotations

import random

import pytest

from yongji_xls.system.placeholders import CACHED_CHARS, compile_patterns, is_placeholder, matcher
from yongji_xls.values.parse import NO, YES, parse_yes_no
from yongji_xls.values.types import _MARKER, _MAY_SPLIT, _split_outside_titles, split_evidence
from yongji_xls.workbook.read.clean import MAX_CELL_CHARS, clean_grid

_PIECES = ["材料", "通知", "A", "1.", "2、", "(一)", "（3）", "①", "一、", " ", "、", "；", ";", "\n", "\r\n", "\u2028"]


def test_split_without_titles_equals_the_character_walk() -> None:
    rng = random.Random(24)
    reached = 0
    for _ in range(3000):
        text = "".join(rng.choice(_PIECES) for _ in range(rng.randint(1, 12)))
        if not _MAY_SPLIT.search(text):
            continue
        reached += 1
        assert split_evidence(text) == _split_outside_titles(_MARKER.sub("\n", text)), text
    assert reached > 1000


def test_split_keeps_titles_whole() -> None:
    assert split_evidence("《关于甲、乙的通知》、材料B") == ("《关于甲、乙的通知》", "材料B")
    assert split_evidence("材料A、材料B\n材料C；材料D") == ("材料A", "材料B", "材料C", "材料D")


@pytest.mark.parametrize("spaced", [False, True])
def test_yes_no_as_typed_and_normalised(spaced: bool) -> None:
    for texts, expected in ((YES, True), (NO, False)):
        for text in texts:
            typed = f" {text.upper()} " if spaced else text
            parsed = parse_yes_no(typed)
            assert (parsed.value, parsed.error) == (expected, ""), typed
    assert parse_yes_no("ＹＥＳ").value is True  # full width: the general path normalises it
    assert parse_yes_no("也许").error == "value_bad_done"


def test_cached_placeholder_verdict_equals_the_test(spec) -> None:
    empty = matcher(spec)
    placeholders, patterns = frozenset(spec.placeholders), compile_patterns(spec.placeholder_patterns)
    long_empty, long_real = "无" * (CACHED_CHARS + 5), "材料" * CACHED_CHARS
    texts = ["无", "暂无，后补", "见附件1", "《通知》", "", "  ", long_empty, long_real, "12"]
    for text in texts * 2:  # the second time from the cache
        assert empty(text) == is_placeholder(text, placeholders, patterns), text
    assert empty("无" * (CACHED_CHARS + 5)) and not empty("材料" * CACHED_CHARS)


def test_clean_grid_fast_path_and_walk() -> None:
    clean = [["a", "", None, 1.0], ["说明", "b"]]
    assert clean_grid(clean) == clean_grid([["a"]]) and clean == [["a", "", None, 1.0], ["说明", "b"]]
    dirty = [["ok", "a\x0bb"], [2.0, "x" * (MAX_CELL_CHARS + 3)], ["c\x01"]]
    found = clean_grid(dirty)
    assert dirty == [["ok", "a\nb"], [2.0, "x" * MAX_CELL_CHARS], ["c"]]
    assert found.controls == [(0, 1), (2, 0)] and found.too_long == [(1, 1, MAX_CELL_CHARS + 3)]
    # many cells whose text together passes a cell's limit, none alone: nothing is cut
    wide = [["y" * 20000, "z" * 20000]]
    assert clean_grid(wide).too_long == [] and len(wide[0][0]) == 20000
