"""An office's .zip upload is bounded before anything is inflated, by the pre-flight's own limits
(member count, sizes, ratio, total: :class:`~yongji_xls.workbook.read.safety.preflight.Limits`)
and the page's per-file limit (DESIGN.md §9)."""

from __future__ import annotations

import io
import os
import zipfile

import pytest

from yongji_xls import api
from yongji_xls.workbook.read.safety.preflight import DEFAULT_LIMITS

MB = 1 << 20


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def test_ten_members_of_19_mb_each_are_refused_before_any_is_inflated():
    """The audit's zip: 195 KB holding ten 19 MB members (each under the 20 MB file limit)."""
    data = _zip({f"单位{n}.xlsx": b"\0" * (19 * MB) for n in range(10)})
    assert len(data) < MB
    taken, issues = api.zip_workbooks(data, "全部.zip", member_limit=20 * MB)
    assert taken == [] and [i.code for i in issues] == ["file_zip_bomb"]
    assert "压缩比" in issues[0].message  # 19 MB of zeros deflate ~1000:1, over the pre-flight's 100:1


def test_the_total_expanded_size_is_the_pre_flights_limit():
    """Incompressible members, each under every per-member limit, together over the total."""
    from yongji_xls.workbook.read.safety import zip_input

    small = DEFAULT_LIMITS.__class__(max_total_uncompressed=3 * MB, max_file_bytes=50 * MB)
    members = {f"单位{n}.xlsx": os.urandom(MB + 1) for n in range(3)}  # 3 MB + 3 bytes
    taken, issues = zip_input.read_zip(_zip(members), "全部.zip", 20 * MB, small)
    assert taken == [] and [i.code for i in issues] == ["file_zip_bomb"] and "解压后总计" in issues[0].message
    taken, issues = zip_input.read_zip(_zip(dict(list(members.items())[:2])), "两个.zip", 20 * MB, small)
    assert [len(b) for _, b in taken] == [MB + 1, MB + 1] and issues == []


def test_a_member_over_the_page_s_file_limit_is_refused_by_name():
    data = _zip({"报送/大.xlsx": os.urandom(600), "报送/小.xlsx": b"x" * 10})
    taken, issues = api.zip_workbooks(data, "全部.zip", member_limit=500)
    assert taken == [] and [i.code for i in issues] == ["file_too_large"]
    assert "全部.zip/报送/大.xlsx" in issues[0].message


@pytest.mark.parametrize(
    "count, refused", [(DEFAULT_LIMITS.max_members, False), (DEFAULT_LIMITS.max_members + 1, True)]
)
def test_the_member_count_is_the_pre_flights_limit(count, refused):
    data = _zip({f"{n}.txt": b"" for n in range(count - 1)} | {"单位.xlsx": b"x"})
    taken, issues = api.zip_workbooks(data, "多.zip", member_limit=MB)
    assert (taken == []) is refused
    assert ("file_zip_bomb" in [i.code for i in issues]) is refused


def test_workbook_members_are_taken_with_their_names_and_other_members_listed():
    data = _zip({"报送/市司法局.xlsx": b"a" * 400, "__MACOSX/报送/._市司法局.xlsx": b"junk", "说明.txt": b"x"})
    taken, issues = api.zip_workbooks(data, "各单位.zip", member_limit=500)
    assert taken == [("各单位.zip/报送/市司法局.xlsx", b"a" * 400)]
    assert [(i.code, i.file) for i in issues] == [("file_unsupported", "各单位.zip/说明.txt")]
