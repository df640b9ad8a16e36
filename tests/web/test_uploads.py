"""An office's .zip upload is bounded before anything is read from it: member count, each member's
declared size and the members' total (DESIGN.md §9)."""

from __future__ import annotations

import io
import zipfile

import pytest

from yongji_xls.web.uploads import unpack_zip


def _zip(sizes: list[int]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for n, size in enumerate(sizes):
            zf.writestr(f"单位{n}.xlsx", b"x" * size)
    return buf.getvalue()


def test_members_each_under_the_file_cap_but_over_the_total_are_refused():
    data = _zip([400, 400, 400])  # every member under 500, together 1200 > 1000
    taken, issues = unpack_zip("全部.zip", data, file_limit=500, total_limit=1000)
    assert taken == [] and [i.code for i in issues] == ["upload_zip_bad"] and "合计" in issues[0].message


def test_one_member_over_the_file_cap_is_refused():
    taken, issues = unpack_zip("全部.zip", _zip([600]), file_limit=500, total_limit=10_000)
    assert taken == [] and [i.code for i in issues] == ["upload_zip_bad"]


@pytest.mark.parametrize("sizes", [[400, 400], [500, 500]])
def test_members_within_both_caps_are_taken(sizes):
    taken, issues = unpack_zip("全部.zip", _zip(sizes), file_limit=500, total_limit=1000)
    assert issues == [] and [len(u.data) for u in taken] == sizes
