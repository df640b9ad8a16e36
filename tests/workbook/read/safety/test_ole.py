"""The OLE checks on the hostile compound-file corpus (tests/support/hostile_ole.py).

Every file gets its verdict as a clean Issue (or passes), the file is left as it was, and the work
is bounded by what the answer needs: the bytes pre-flight reads are counted, not timed.
"""

from __future__ import annotations

import hashlib
import io
import struct
from pathlib import Path
from typing import BinaryIO

import hostile
import hostile_ole
import pytest

from yongji_xls.workbook.read.safety.cfb import Cfb
from yongji_xls.workbook.read.safety.ole_crypto import MAX_SPIN, _info_ok, may_try_default_password
from yongji_xls.workbook.read.safety.preflight import preflight
from yongji_xls.workbook.read.safety.xls_scan import scan_xls

REFUSED = {name: case for name, case in hostile_ole.CASES.items() if case[1] is not None}
PASSED = {name: case for name, case in hostile_ole.CASES.items() if case[1] is None}


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_hostile_ole_file_is_refused_with_its_code(tmp_path: Path, name: str) -> None:
    maker, code = REFUSED[name]
    path = maker(tmp_path)
    before = path.stat().st_size, path.stat().st_mtime_ns
    result = preflight(path, path.name)
    assert not result.ok and result.kind is None
    assert [(i.code, i.severity, i.file) for i in result.issues] == [(code, "error", path.name)]
    assert (path.stat().st_size, path.stat().st_mtime_ns) == before


@pytest.mark.parametrize("name", sorted(PASSED))
def test_sound_ole_file_passes(tmp_path: Path, name: str) -> None:
    maker, _ = PASSED[name]
    path = maker(tmp_path)
    before = _digest(path)
    result = preflight(path, path.name)
    assert result.ok, [i.text for i in result.issues]
    assert result.kind == ("xlsx" if name == "real_encrypted_default" else "xls")
    assert _digest(path) == before


def test_default_password_package_is_decrypted_to_the_workbook(tmp_path: Path) -> None:
    result = preflight(hostile_ole.make_real_encrypted(tmp_path), "默认密码.xlsx")
    assert result.ok and [i.code for i in result.issues] == ["file_default_password"]
    assert result.data is not None and result.data.startswith(b"PK")
    assert hostile.SHEET in result.scans


@pytest.mark.slow  # LibreOffice
def test_libreoffice_xls_passes_and_is_an_xls(tmp_path: Path) -> None:
    result = preflight(hostile.make_xls(tmp_path), "旧版格式.xls")
    assert result.ok and result.kind == "xls"
    assert [i.code for i in result.issues] == ["file_legacy_format"]


class CountingFile:
    """A file (or bytes) that counts the bytes read from it."""

    def __init__(self, f: BinaryIO | bytes) -> None:
        self.f = io.BytesIO(f) if isinstance(f, bytes) else f
        self.read_bytes = 0

    def seek(self, pos: int, whence: int = 0) -> int:
        return self.f.seek(pos, whence)

    def read(self, n: int = -1) -> bytes:
        out = self.f.read(n)
        self.read_bytes += len(out)
        return out


@pytest.mark.parametrize(
    ("name", "at_most"),
    [
        ("difat_loop", 2048),  # header + the one DIFAT sector, then the loop is seen
        ("dir_loop", 40 << 10),  # the FAT and one pass over the directory
        ("fat_past_eof", 1024),
        ("many_entries", 13 << 20),  # the directory is read once: 12.8 MB
    ],
)
def test_cfb_reads_only_what_the_answer_needs(tmp_path: Path, name: str, at_most: int) -> None:
    data = REFUSED.get(name, PASSED.get(name))[0](tmp_path).read_bytes()
    f = CountingFile(data)
    try:
        Cfb(f, len(data))
    except ValueError:
        pass
    assert 0 < f.read_bytes <= at_most


@pytest.mark.parametrize("megabytes", [40, 1024])
def test_a_looped_difat_in_a_large_sparse_file_stops_at_the_loop(tmp_path: Path, megabytes: int) -> None:
    """A sparse file claiming as many FAT sectors as it could hold through one self-naming DIFAT
    sector, and a looped directory. Trusting the counts (the parser before issue 13) read the same
    FAT sector 2 million times for the 1 GB file: 45 s and 3.2 GB in the main process."""
    path = hostile_ole.make_sparse_fat_loop(tmp_path, megabytes)
    with path.open("rb") as raw:
        f = CountingFile(raw)
        with pytest.raises(ValueError, match="DIFAT"):
            Cfb(f, path.stat().st_size)
    assert f.read_bytes <= 1024


def test_the_workbook_checked_is_the_one_calamine_reads() -> None:
    """calamine takes the first entry named exactly Workbook in directory order, even in a storage."""
    data = hostile_ole.build({"BOOK": b"3" * 5000, "Objects/Workbook": b"1" * 5000, "Workbook": b"2" * 5000})
    cfb = Cfb(io.BytesIO(data), len(data))
    assert cfb.stream(cfb.workbook(), 1 << 20) == b"1" * 5000
    assert [e.name for e in cfb.entries("workbook", "book")] == ["Workbook", "Workbook", "BOOK"]
    data = hostile_ole.build({"workbook": b"1" * 5000, "BOOK": b"3" * 5000})
    cfb = Cfb(io.BytesIO(data), len(data))
    assert cfb.stream(cfb.workbook(), 1 << 20) == b"3" * 5000


def test_too_many_entries_of_one_name_are_refused() -> None:
    data = hostile_ole.build({f"s{i}/Workbook": b"x" for i in range(9)})
    with pytest.raises(ValueError, match="too many"):
        Cfb(io.BytesIO(data), len(data))


@pytest.mark.parametrize("name", hostile_ole.SCAN_CASES)
def test_scan_xls_never_raises(tmp_path: Path, name: str) -> None:
    maker, _ = hostile_ole.CASES[name]
    assert isinstance(scan_xls(maker(tmp_path).read_bytes()), dict)


# --- EncryptionInfo, before msoffcrypto-tool sees it --------------------------------------------


@pytest.mark.parametrize(
    ("info", "ok"),
    [
        (hostile_ole.agile_info(), True),
        (hostile_ole.agile_info(MAX_SPIN), True),
        (hostile_ole.agile_info(MAX_SPIN + 1), False),
        (hostile_ole.agile_info(10_000_000), False),
        (hostile_ole.agile_info(doctype='<!DOCTYPE a [<!ENTITY a "x">]>'), False),
        (hostile_ole.agile_info().replace(b'spinCount="100000"', b"spinCount='7' spincount=\"9999999999\""), False),
        (struct.pack("<HHI", 3, 2, 0x24) + bytes(200), True),  # standard encryption: fixed rounds
        (struct.pack("<HHI", 4, 3, 0) + bytes(200), False),  # extensible: nothing decrypts it
        (b"\x04\x00", False),
    ],
)
def test_encryption_info_is_checked_before_decryption(info: bytes, ok: bool) -> None:
    assert _info_ok(info) is ok


@pytest.mark.parametrize(
    ("name", "tried"),
    [
        ("encrypted_spin_2_31", False),
        ("encrypted_spin_10m", False),  # msoffcrypto-tool accepts it and hashes for 4.4 s
        ("encrypted_entity_bomb", False),
        ("encrypted_huge_xml", False),  # minidom would take 9 s and 535 MB
        ("encrypted_junk", False),
        ("real_encrypted_password", True),  # a sound package: the default password is tried, and fails
        ("real_encrypted_default", True),
    ],
)
def test_msoffcrypto_tool_only_sees_bounded_encryption_info(tmp_path: Path, name: str, tried: bool) -> None:
    data = hostile_ole.CASES[name][0](tmp_path).read_bytes()
    assert may_try_default_password(Cfb(io.BytesIO(data), len(data))) is tried
