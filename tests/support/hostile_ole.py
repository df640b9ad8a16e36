"""Hostile OLE compound files (legacy .xls and encrypted OOXML), generated in code.

``build(streams, mutate)`` lays out a valid [MS-CFB] file (version 3 or 4) from ``{"path/name": bytes}``
(a ``/`` makes a storage), lets ``mutate`` corrupt the layout (header fields, FAT entries, directory
entries) before it is packed, and returns the bytes. Every ``make_<case>(dir) -> Path`` writes one
file; ``CASES`` maps each case to the pre-flight verdict it must get (a catalogue code, or None for a
file that passes), ``SCAN_CASES`` names the small files ``scan_xls`` must get through without
raising. Big cases are sparse files: each writes in well under a second.
"""

from __future__ import annotations

import base64
import os
import struct
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import hostile
from remembered import remembered

END, FREE, FATSECT, DIFSECT, NOSTREAM = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFC, 0xFFFFFFFF
MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass
class Entry:
    name: str
    kind: int  # 1 storage, 2 stream, 5 root
    start: int = END
    size: int = 0
    left: int = NOSTREAM
    right: int = NOSTREAM
    child: int = NOSTREAM

    def pack(self) -> bytes:
        raw = (self.name + "\0").encode("utf-16-le")[:64]
        return struct.pack(
            "<64sHBBIII16sIQQIQ", raw, len(raw), self.kind, 1, self.left, self.right, self.child, b"", 0, 0, 0,
            self.start, self.size,
        )  # fmt: skip


@dataclass
class Layout:
    """A compound file before packing: what ``mutate`` may change."""

    shift: int
    sectors: list[bytes] = field(default_factory=list)
    fat: list[int] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)
    header: dict[str, int] = field(default_factory=dict)
    difat: list[int] = field(default_factory=list)  # the 109 header slots
    dir_sectors: list[int] = field(default_factory=list)
    fat_sectors: list[int] = field(default_factory=list)
    difat_sectors: list[int] = field(default_factory=list)
    tail: bytes = b""  # appended after the last sector (padding a file to a size)

    @property
    def ss(self) -> int:
        return 1 << self.shift

    def alloc(self, data: bytes) -> int:
        if not data:
            return END
        start, n = len(self.sectors), -(-len(data) // self.ss)
        for k in range(n):
            self.sectors.append(data[k * self.ss : (k + 1) * self.ss].ljust(self.ss, b"\0"))
            self.fat.append(start + k + 1 if k < n - 1 else END)
        return start


def build(
    streams: dict[str, bytes], mutate: Callable[[Layout], None] | None = None, shift: int = 9, cutoff: int = 4096
) -> bytes:
    """A compound file holding ``streams`` (small ones in the mini stream), corrupted by ``mutate``."""
    lay = Layout(shift)
    ss = lay.ss
    lay.entries.append(Entry("Root Entry", 5))
    children: dict[int, list[int]] = {0: []}
    mini, minifat, placed = bytearray(), [], []
    for path, data in streams.items():
        parent = 0
        *folders, name = path.split("/")
        for folder in folders:
            found = next((i for i in children[parent] if lay.entries[i].name == folder), None)
            if found is None:
                lay.entries.append(Entry(folder, 1))
                found = len(lay.entries) - 1
                children[parent].append(found)
                children[found] = []
            parent = found
        lay.entries.append(Entry(name, 2, size=len(data)))
        children[parent].append(len(lay.entries) - 1)
        placed.append((len(lay.entries) - 1, data))
    for index, data in placed:
        if not data:
            continue
        if len(data) < cutoff:
            first, n = len(mini) // 64, max(1, -(-len(data) // 64))
            mini += data.ljust(n * 64, b"\0")
            minifat += [first + k + 1 for k in range(n - 1)] + [END]
            lay.entries[index].start = first
        else:
            lay.entries[index].start = lay.alloc(data)
    for parent, kids in children.items():  # each storage's children as a right-sibling chain
        if kids:
            lay.entries[parent].child = kids[0]
            for a, b in zip(kids, kids[1:]):
                lay.entries[a].right = b
    lay.entries[0].start, lay.entries[0].size = lay.alloc(bytes(mini)), len(mini)
    minifat_start = lay.alloc(struct.pack(f"<{len(minifat)}I", *minifat)) if minifat else END
    n_dir = -(-len(lay.entries) * 128 // ss)
    dir_start = lay.alloc(b"\0" * (n_dir * ss))
    lay.dir_sectors = list(range(dir_start, dir_start + n_dir))
    lay.header = {
        "minor": 0x3E, "major": 3 if shift == 9 else 4, "shift": shift, "mini_shift": 6,
        "n_dir": 0 if shift == 9 else n_dir, "dir_start": dir_start, "cutoff": cutoff, "minifat_start": minifat_start,
        "n_minifat": -(-len(minifat) * 4 // ss),
    }  # fmt: skip
    _alloc_fat(lay)
    if mutate is not None:
        mutate(lay)
    return pack(lay)


def _alloc_fat(lay: Layout) -> None:
    """FAT sectors (and DIFAT sectors beyond the 109 the header holds) for every sector so far."""
    n, per = len(lay.sectors), lay.ss // 4
    n_fat = n_difat = 0
    while True:
        need_fat = -(-(n + n_fat + n_difat) // per)
        need_difat = -(-max(0, need_fat - 109) // (per - 1))
        if (need_fat, need_difat) == (n_fat, n_difat):
            break
        n_fat, n_difat = need_fat, need_difat
    lay.fat_sectors = list(range(n, n + n_fat))
    lay.difat_sectors = list(range(n + n_fat, n + n_fat + n_difat))
    lay.sectors += [b""] * (n_fat + n_difat)
    lay.fat += [FATSECT] * n_fat + [DIFSECT] * n_difat
    lay.difat = lay.fat_sectors[:109] + [FREE] * (109 - min(n_fat, 109))
    lay.header.update(n_fat=n_fat, difat_start=lay.difat_sectors[0] if n_difat else END, n_difat=n_difat)


def pack(lay: Layout) -> bytes:
    ss, h = lay.ss, lay.header
    directory = b"".join(e.pack() for e in lay.entries).ljust(len(lay.dir_sectors) * ss, b"\0")
    for k, s in enumerate(lay.dir_sectors):
        lay.sectors[s] = directory[k * ss : (k + 1) * ss]
    table = [*lay.fat, *[FREE] * (len(lay.fat_sectors) * (ss // 4) - len(lay.fat))]
    raw_fat = struct.pack(f"<{len(table)}I", *table[: len(lay.fat_sectors) * (ss // 4)])
    for k, s in enumerate(lay.fat_sectors):
        lay.sectors[s] = raw_fat[k * ss : (k + 1) * ss]
    rest, per = lay.fat_sectors[109:], ss // 4 - 1
    for k, s in enumerate(lay.difat_sectors):
        ids = rest[k * per : (k + 1) * per]
        nxt = lay.difat_sectors[k + 1] if k + 1 < len(lay.difat_sectors) else END
        lay.sectors[s] = struct.pack(f"<{per + 1}I", *ids, *[FREE] * (per - len(ids)), nxt)
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII109I", MAGIC, b"", h["minor"], h["major"], 0xFFFE, h["shift"], h["mini_shift"], b"",
        h["n_dir"], h["n_fat"], h["dir_start"], 0, h["cutoff"], h["minifat_start"], h["n_minifat"],
        h["difat_start"], h["n_difat"], *lay.difat,
    )  # fmt: skip
    first = header.ljust(ss, b"\0") if lay.shift == 12 else header
    return first + b"".join(s.ljust(ss, b"\0")[:ss] for s in lay.sectors) + lay.tail


# --- BIFF and encryption payloads --------------------------------------------------------------------

BOF = struct.pack("<HH", 0x0809, 16) + struct.pack("<HHHHII", 0x0600, 0x0005, 0x0DBB, 0x07CC, 0, 0x0406)
EOF = struct.pack("<HH", 0x000A, 0)
WRITEPROT = struct.pack("<HH", 0x0086, 0)


def filepass(variant: str) -> bytes:
    """A FILEPASS record ([MS-XLS] 2.4.117): XOR obfuscation, RC4, or RC4 CryptoAPI."""
    if variant == "xor":
        body = struct.pack("<HHH", 0, 0x1234, 0x5678)
    elif variant == "rc4":
        body = struct.pack("<HHH", 1, 1, 1) + os.urandom(48)
    else:  # CryptoAPI: version 4.2, then an EncryptionHeader and verifier
        body = struct.pack("<HHHI", 1, 4, 2, 0x04) + struct.pack("<I", 32) + bytes(32) + os.urandom(60)
    return struct.pack("<HH", 0x002F, len(body)) + body


def workbook(records: bytes = b"", pad_to: int = 0) -> bytes:
    return (BOF + records + EOF).ljust(pad_to, b"\0")


def agile_info(spin: int = 100000, extra: str = "", doctype: str = "") -> bytes:
    """An EncryptionInfo stream, version 4.4 (agile, XML), as Excel writes it; ``spin`` is the spinCount."""
    b64 = base64.b64encode(bytes(16)).decode()
    xml = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n{doctype}'
        '<encryption xmlns="http://schemas.microsoft.com/office/2006/encryption" '
        'xmlns:p="http://schemas.microsoft.com/office/2006/keyEncryptor/password">'
        f'<keyData saltSize="16" blockSize="16" keyBits="256" hashSize="64" cipherAlgorithm="AES" '
        f'cipherChaining="ChainingModeCBC" hashAlgorithm="SHA512" saltValue="{b64}"/>'
        f'<dataIntegrity encryptedHmacKey="{b64}" encryptedHmacValue="{b64}"/>{extra}'
        '<keyEncryptors><keyEncryptor uri="http://schemas.microsoft.com/office/2006/keyEncryptor/password">'
        f'<p:encryptedKey spinCount="{spin}" saltSize="16" blockSize="16" keyBits="256" hashSize="64" '
        f'cipherAlgorithm="AES" cipherChaining="ChainingModeCBC" hashAlgorithm="SHA512" saltValue="{b64}" '
        f'encryptedVerifierHashInput="{b64}" encryptedVerifierHashValue="{b64}" encryptedKeyValue="{b64}"/>'
        "</keyEncryptor></keyEncryptors></encryption>"
    )
    return struct.pack("<HHI", 4, 4, 0x40) + xml.encode()


def encrypted_ooxml(info: bytes) -> dict[str, bytes]:
    return {"EncryptionInfo": info, "EncryptedPackage": struct.pack("<Q", 5000) + bytes(5008)}


# --- the cases ---------------------------------------------------------------------------------------

PLAIN = {"Workbook": workbook(pad_to=8192)}  # a Workbook stream in regular sectors
SMALL = {"Workbook": workbook()}  # in the mini stream


def _case(name: str, streams: dict[str, bytes], mutate: Callable[[Layout], None] | None = None, **kw):
    def make(dir: Path) -> Path:
        path = Path(dir) / name
        path.write_bytes(build(streams, mutate, **kw))
        return path

    make.__doc__ = (mutate.__doc__ if mutate is not None else None) or name
    return make


def _set(**fields: int) -> Callable[[Layout], None]:
    def mutate(lay: Layout) -> None:
        lay.header.update(fields)

    mutate.__doc__ = f"header {fields}"
    return mutate


def _dir_loop(lay: Layout) -> None:
    """The directory's sector chain points back at its own first sector."""
    lay.fat[lay.dir_sectors[-1]] = lay.dir_sectors[0]


def _stream_loop(lay: Layout) -> None:
    """The Workbook stream's second sector leads back to its first."""
    start = lay.entries[1].start
    lay.fat[start + 1] = start


def _mini_loop(lay: Layout) -> None:
    """The mini stream's container chain loops on itself."""
    root = lay.entries[0].start
    lay.fat[root] = root


def _minifat_loop(lay: Layout) -> None:
    """The mini FAT's chain loops on itself."""
    s = lay.header["minifat_start"]
    lay.fat[s] = s


def _difat_loop(lay: Layout) -> None:
    """A DIFAT sector naming itself as the next one, claimed to be 100 000 DIFAT sectors long, each
    naming the same FAT sector 127 times: a reader that trusts the counts reads the FAT forever."""
    s = len(lay.sectors)
    lay.sectors.append(struct.pack("<128I", *[lay.fat_sectors[0]] * 127, s))
    lay.header.update(n_fat=109 + 127 * 100_000, difat_start=s, n_difat=100_000)
    lay.difat = [lay.fat_sectors[0]] * 109


def _dir_past_eof(lay: Layout) -> None:
    """The directory starts at a sector far beyond the end of the file."""
    lay.header["dir_start"] = 5000


def _fat_past_eof(lay: Layout) -> None:
    """The first FAT sector lies beyond the end of the file."""
    lay.difat[0] = 100_000


def _chain_past_eof(lay: Layout) -> None:
    """The Workbook stream starts beyond the end of the file."""
    lay.entries[1].start = 90_000


def _fat_out_of_range(lay: Layout) -> None:
    """The Workbook's chain continues at a sector id no FAT entry covers."""
    lay.fat[lay.entries[1].start] = 0xFFFFFF00


def _tree_cycle(lay: Layout) -> None:
    """Directory siblings point at each other and a stream claims the root as its child."""
    lay.entries[1].left = 2
    lay.entries[2].right = 1
    lay.entries[2].child = 0


def _huge_size(lay: Layout) -> None:
    """The Workbook stream declares 2^63 bytes (a version 3 file keeps the low 32 bits: 0)."""
    lay.entries[1].size = 1 << 63


def _huge_minifat_count(lay: Layout) -> None:
    """The header claims 2^32-1 mini FAT sectors and 2^32-1 directory sectors."""
    lay.header.update(n_minifat=0xFFFFFFFF, n_dir=0xFFFFFFFF)


def _same_fat_sector(lay: Layout) -> None:
    """Every header DIFAT slot names the same FAT sector, and the header claims 109 FAT sectors."""
    lay.difat = [lay.fat_sectors[0]] * 109
    lay.header["n_fat"] = 109


def _unused_first(lay: Layout) -> None:
    """An unused directory entry named Workbook before the real one: calamine takes the first by name."""
    lay.entries[1].name, lay.entries[1].kind = "Workbook", 0


def make_truncated_header(dir: Path) -> Path:
    """An OLE magic number and 92 more bytes."""
    path = Path(dir) / "截断头.xls"
    path.write_bytes(build(SMALL)[:100])
    return path


def make_header_only(dir: Path) -> Path:
    """A complete 512-byte header and nothing else."""
    path = Path(dir) / "只有文件头.xls"
    path.write_bytes(build(SMALL)[:512])
    return path


def make_cut_in_directory(dir: Path) -> Path:
    """A real .xls cut in the middle of its directory."""
    data = build(PLAIN)
    path = Path(dir) / "截断目录.xls"
    path.write_bytes(data[: 512 * 18 + 100])
    return path


def make_sparse_200mb(dir: Path) -> Path:
    """A small .xls padded to 200 MB by a hole (a sparse file: nothing is written), whose header
    claims as many FAT sectors as such a file could hold, all the same sector, through a looped DIFAT."""
    path = Path(dir) / "稀疏大文件.xls"
    path.write_bytes(build(PLAIN, _difat_loop))
    with path.open("r+b") as f:
        f.truncate(200 << 20)
    return path


def make_sparse_fat_loop(dir: Path, megabytes: int = 40) -> Path:
    """A sparse file (40 MB: under the size limit) with a looped DIFAT and a looped directory chain:
    a parser that trusts the counts reads the same FAT sector for every sector the file could hold."""
    path = Path(dir) / f"稀疏循环{megabytes}MB.xls"

    def mutate(lay: Layout) -> None:
        _difat_loop(lay)
        n_fat = (megabytes << 20) // 512 - 1  # as many as the file could hold, and just enough DIFAT sectors
        lay.header.update(n_fat=n_fat, n_difat=-(-(n_fat - 109) // 127))
        _dir_loop(lay)

    path.write_bytes(build(PLAIN, mutate))
    with path.open("r+b") as f:
        f.truncate(megabytes << 20)
    return path


def make_many_entries(dir: Path, count: int = 100_000) -> Path:
    """100 000 directory entries (12.8 MB of directory), the Workbook first."""
    path = Path(dir) / "十万目录项.xls"
    path.write_bytes(build({**PLAIN, **{f"s{i}": b"" for i in range(count - 1)}}))
    return path


def make_deep_tree(dir: Path) -> Path:
    """3000 streams, each the right sibling of the one before: a tree 3000 levels deep."""
    path = Path(dir) / "深目录树.xls"
    path.write_bytes(build({**PLAIN, **{f"s{i}": b"x" for i in range(3000)}}))
    return path


def make_shadowed_workbook(dir: Path) -> Path:
    """The root's Workbook has an open password; a storage holds a second, plain Workbook entry
    further down the directory. calamine reads the first entry named Workbook."""
    path = Path(dir) / "双工作簿流.xls"
    streams = {"Workbook": workbook(filepass("rc4")), "Objects/Workbook": workbook()}
    path.write_bytes(build(streams))
    return path


def _encrypted_package(name: str, info: bytes) -> Callable[[Path], Path]:
    def make(dir: Path) -> Path:
        path = Path(dir) / name
        path.write_bytes(build(encrypted_ooxml(info)))
        return path

    return make


def make_real_encrypted(dir: Path, password: str = "VelvetSweatshop", name: str = "默认密码.xlsx") -> Path:
    """A real .xlsx encrypted by msoffcrypto-tool (agile, as Excel does), by default with Excel's
    default password (it opens without a prompt)."""
    import io

    from msoffcrypto.format.ooxml import OOXMLFile

    src = hostile.make_normal_xlsx(dir, ".base-" + name)
    out = io.BytesIO()
    with src.open("rb") as f:
        OOXMLFile(f).encrypt(password, out)
    src.unlink()
    path = Path(dir) / name
    path.write_bytes(out.getvalue())
    return path


def make_real_encrypted_password(dir: Path) -> Path:
    return make_real_encrypted(dir, "密码1234", "有密码.xlsx")


def make_doc_renamed(dir: Path) -> Path:
    """A Word 97-2003 document written by LibreOffice, renamed .xls."""
    import shutil
    import subprocess
    import tempfile
    import unittest
    import uuid

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise unittest.SkipTest("LibreOffice (soffice) is not installed")
    src = Path(dir) / "说明文档.txt"
    src.write_text("网上零售额说明\n", encoding="utf-8")
    with tempfile.TemporaryDirectory() as profile:
        cmd = [
            soffice,
            f"-env:UserInstallation={(Path(profile) / uuid.uuid4().hex).as_uri()}",
            "--headless",
            "--convert-to",
            "doc",
            "--outdir",
            str(dir),
            str(src),
        ]
        subprocess.run(cmd, check=True, capture_output=True, timeout=180)
    src.unlink()
    path = Path(dir) / "说明文档.xls"
    (Path(dir) / "说明文档.doc").rename(path)
    return path


_BOMB = '<!DOCTYPE a [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'

# every maker but the sparse files (a hole costs nothing to make; copied, it would be 200 MB written)
for _name, _maker in list(globals().items()):
    if _name.startswith("make_") and "sparse" not in _name and callable(_maker):
        globals()[_name] = remembered(_maker)

# case -> (maker, the pre-flight refusal code, or None when the file must pass)
CASES: dict[str, tuple[Callable[[Path], Path], str | None]] = {
    "truncated_header": (make_truncated_header, "file_corrupt"),
    "header_only": (make_header_only, "file_corrupt"),
    "cut_in_directory": (make_cut_in_directory, "file_corrupt"),
    "sector_shift_0": (_case("移位0.xls", SMALL, _set(shift=0)), "file_corrupt"),
    "sector_shift_31": (_case("移位31.xls", SMALL, _set(shift=31)), "file_corrupt"),
    "mini_shift_0": (_case("迷你移位0.xls", SMALL, _set(mini_shift=0)), "file_corrupt"),
    "cutoff_0": (_case("截止0.xls", SMALL, _set(cutoff=0)), "file_corrupt"),
    "huge_fat_count": (_case("FAT数巨大.xls", PLAIN, _set(n_fat=0xFFFFFFFF)), "file_corrupt"),
    "huge_difat_count": (_case("DIFAT数巨大.xls", PLAIN, _set(n_difat=0xFFFFFFFF, difat_start=0)), "file_corrupt"),
    "huge_minifat_count": (_case("迷你FAT数巨大.xls", SMALL, _huge_minifat_count), "file_corrupt"),
    "difat_loop": (_case("DIFAT循环.xls", PLAIN, _difat_loop), "file_corrupt"),
    "same_fat_sector": (_case("FAT扇区重复.xls", PLAIN, _same_fat_sector), "file_corrupt"),
    "dir_loop": (_case("目录循环.xls", PLAIN, _dir_loop), "file_corrupt"),
    "mini_loop": (_case("迷你流循环.xls", {**SMALL, "a": b"x" * 3000}, _mini_loop), "file_corrupt"),
    "minifat_loop": (_case("迷你FAT循环.xls", SMALL, _minifat_loop), None),
    "stream_loop": (_case("流循环.xls", PLAIN, _stream_loop), "file_corrupt"),
    "dir_past_eof": (_case("目录越界.xls", PLAIN, _dir_past_eof), "file_corrupt"),
    "fat_past_eof": (_case("FAT越界.xls", PLAIN, _fat_past_eof), "file_corrupt"),
    "chain_past_eof": (_case("流越界.xls", PLAIN, _chain_past_eof), "file_corrupt"),
    "fat_out_of_range": (_case("FAT编号越界.xls", PLAIN, _fat_out_of_range), "file_corrupt"),
    "tree_cycle": (_case("目录树循环.xls", {**PLAIN, "x": b"1"}, _tree_cycle), None),
    "deep_tree": (make_deep_tree, None),
    "many_entries": (make_many_entries, None),
    "stream_size_2_63_v3": (_case("流大小2^63.xls", PLAIN, _huge_size), "file_corrupt"),
    "stream_size_2_63_v4": (_case("流大小2^63v4.xls", PLAIN, _huge_size, shift=12), None),
    "sparse_200mb": (make_sparse_200mb, "file_too_large"),
    "sparse_fat_loop": (make_sparse_fat_loop, "file_corrupt"),
    "no_workbook": (_case("无工作簿流.xls", {"Data": b"x" * 100}), "file_not_workbook"),
    "workbook_is_storage": (_case("工作簿是存储.xls", {"Workbook/x": b"1"}), "file_not_workbook"),
    "workbook_lowercase": (_case("小写工作簿流.xls", {"workbook": workbook(pad_to=8192)}), "file_not_workbook"),
    "unused_entry_named_workbook": (_case("空目录项.xls", {"x": b"1", **PLAIN}, _unused_first), "file_not_workbook"),
    "workbook_and_book": (_case("两种工作簿流.xls", {**PLAIN, "Book": workbook()}), None),
    "book_only": (_case("BIFF5.xls", {"Book": workbook(pad_to=5000)}), None),
    "v4_sectors": (_case("4K扇区.xls", PLAIN, shift=12), None),
    "filepass_xor": (_case("XOR加密.xls", {"Workbook": workbook(filepass("xor"))}), "file_encrypted"),
    "filepass_rc4": (_case("RC4加密.xls", {"Workbook": workbook(filepass("rc4"), 8192)}), "file_encrypted"),
    "filepass_cryptoapi": (_case("CryptoAPI加密.xls", {"Workbook": workbook(filepass("cryptoapi"))}), "file_encrypted"),
    "filepass_after_writeprot": (
        _case("写保护后加密.xls", {"Workbook": workbook(WRITEPROT + filepass("rc4"))}),
        "file_encrypted",
    ),
    "shadowed_workbook": (make_shadowed_workbook, "file_encrypted"),
    "encryption_info_only": (_case("仅加密信息.xls", {"EncryptionInfo": agile_info()}), "file_encrypted"),
    "encrypted_junk": (_encrypted_package("加密垃圾.xlsx", b"\x04\x00\x04\x00junk"), "file_encrypted"),
    "encrypted_spin_2_31": (_encrypted_package("迭代次数巨大.xlsx", agile_info(2**31 - 1)), "file_encrypted"),
    "encrypted_spin_10m": (_encrypted_package("迭代千万次.xlsx", agile_info(10_000_000)), "file_encrypted"),
    "encrypted_entity_bomb": (_encrypted_package("加密信息实体.xlsx", agile_info(doctype=_BOMB)), "file_encrypted"),
    "encrypted_huge_xml": (
        _encrypted_package("加密信息巨大.xlsx", agile_info(extra="<x/>" * 2_000_000)),
        "file_encrypted",
    ),
    "real_encrypted_password": (make_real_encrypted_password, "file_encrypted"),
    "real_encrypted_default": (make_real_encrypted, None),
    "doc_renamed": (make_doc_renamed, "file_not_workbook"),
    "fake_workbook_ok": (_case("正常旧版.xls", PLAIN), None),
}

# files whose Workbook stream scan_xls (in the reader worker) must give up on cleanly
SCAN_CASES = [name for name in CASES if not name.startswith(("sparse", "real_", "doc_"))]


# --- a tiny .xls whose cells span the whole BIFF8 sheet (POI's 51535.xls, 42 KB, 1.2 GB to read) ------


def _record(kind: int, body: bytes) -> bytes:
    return struct.pack("<HH", kind, len(body)) + body


def far_cells_xls(cells: list[tuple[int, int, str]]) -> bytes:
    """A BIFF8 workbook of one sheet holding the text ``cells`` (row, col, text; 0-based): a shared
    string table, a BOUNDSHEET8 pointing at the sheet and one LABELSST record per cell."""
    strings = list(dict.fromkeys(text for _, _, text in cells))
    sst = struct.pack("<II", len(cells), len(strings)) + b"".join(
        struct.pack("<HB", len(s), 1) + s.encode("utf-16-le") for s in strings
    )
    sheet_bof = struct.pack("<HH", 0x0809, 16) + struct.pack("<HHHHII", 0x0600, 0x0010, 0x0DBB, 0x07CC, 0, 0x0406)
    rows = max(r for r, _, _ in cells) + 1
    cols = max(c for _, c, _ in cells) + 1
    body = _record(0x0200, struct.pack("<IIHHH", 0, rows, 0, cols, 0))
    body += b"".join(_record(0x00FD, struct.pack("<HHHI", r, c, 0, strings.index(t))) for r, c, t in cells)
    sheet = sheet_bof + body + EOF
    name = "Sheet1".encode("latin-1")

    def globals_(offset: int) -> bytes:
        bound = _record(0x0085, struct.pack("<IHBB", offset, 0, len(name), 0) + name)
        return BOF + _record(0x0042, struct.pack("<H", 1200)) + bound + _record(0x00FC, sst) + EOF

    offset = len(globals_(0))
    return build({"Workbook": (globals_(offset) + sheet).ljust(4096, b"\0")})
