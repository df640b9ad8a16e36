"""Just enough of [MS-CFB] (OLE compound files) to list a file's streams and peek at the start
of one: it tells a legacy .xls from a Word file and finds password protection, reading a few
sectors. Pre-flight runs it in the main process on every OLE file before anything else parses it.

The structure is checked the way python-calamine, which reads the .xls afterwards (in a worker),
will follow it, because calamine follows sector chains without loop detection and grows memory
until the process dies: the DIFAT chain, the directory chain, the mini stream and mini FAT chains
and the chain of the Workbook stream calamine picks (the first entry named exactly ``Workbook``,
else ``Book``, ``WORKBOOK``, ``BOOK``, in directory order) must each end without coming back to a
sector or leaving the file. Chains are walked over the FAT, not read, and only the FAT sectors
that describe sectors of the file are read, so the work is bounded by the file's size (at most
size/128 bytes of FAT). olefile and msoffcrypto-tool were measured against this on a hostile
corpus and are not used for the checks (docs/design-decisions.md, "OLE checks and file names").
"""

from __future__ import annotations

import struct
import sys
from array import array
from dataclasses import dataclass
from typing import BinaryIO

MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_MAXREG = 0xFFFFFFFA  # sector ids at or above this are markers, not sectors
_DIFSECT = 0xFFFFFFFC
_END = 0xFFFFFFFE
CUTOFF = 4096  # [MS-CFB]: streams below it live in the mini stream; calamine assumes 4096 whatever the header says
WORKBOOK_NAMES = ("Workbook", "Book", "WORKBOOK", "BOOK")  # what calamine looks for, in this order
# the only names anything here asks for (casefolded); other entries are skipped, so 100 000 cost no memory
WANTED = frozenset({"workbook", "book", "encryptioninfo", "encryptedpackage", "worddocument", "powerpoint document"})
_INITIALS = frozenset(b for name in WANTED for b in (ord(name[0]), ord(name[0].upper())))
MAX_SAME_NAME = 8  # entries sharing one wanted name: each is checked, so their number is capped


@dataclass(frozen=True)
class Entry:
    name: str  # as stored (up to the first NUL, as calamine decodes it)
    kind: int  # 0 unused, 1 storage, 2 stream, 5 root
    start: int
    size: int


class Cfb:
    """The directory of a compound file whose every chain calamine follows has been checked."""

    def __init__(self, f: BinaryIO, size: int) -> None:
        self.f, self.size = f, size
        f.seek(0)
        h = f.read(512)
        if len(h) < 512 or not h.startswith(MAGIC):
            raise ValueError("truncated header")
        shift, mini_shift = struct.unpack_from("<HH", h, 0x1E)
        if shift not in (9, 12) or mini_shift != 6:
            raise ValueError("sector size")
        self.ss = 1 << shift
        n_fat, dir_start = struct.unpack_from("<II", h, 0x2C)
        cutoff, self.minifat_start, self.n_minifat, difat_next, n_difat = struct.unpack_from("<5I", h, 0x38)
        if cutoff != CUTOFF:
            raise ValueError("mini stream cutoff")
        self.count = -(-size // self.ss) - 1  # sectors after the header, a partial last one included
        if n_fat > self.count or self.n_minifat > self.count:
            raise ValueError("FAT size")  # more sectors than the file has (calamine reserves memory by them)
        fat_ids, n_difat_read = self._fat_ids(h, difat_next)
        # olefile (inside msoffcrypto-tool) trusts the header's counts: they must match what is there
        self.counts_agree = n_fat == len(fat_ids) and n_difat == n_difat_read
        needed = -(-self.count // (self.ss // 4))  # FAT sectors beyond these describe no sector of the file
        self.fat = array("I", b"".join(self._sector(s, whole=True) for s in fat_ids[:needed]))
        if sys.byteorder == "big":
            self.fat.byteswap()
        self.by_name: dict[str, list[Entry]] = {}  # casefolded wanted name -> entries, in directory order
        root = None
        for s in self._chain(dir_start):
            sector = self._sector(s, whole=True)
            for off in range(0, self.ss, 128):
                raw = sector[off : off + 128]
                if root is None:
                    root = self._entry(raw)
                    continue
                if raw[0] in _INITIALS and raw[1] == 0:  # cheap: most entries cannot be a wanted name
                    self._keep(self._entry(raw))
        if root is None or root.kind != 5:
            raise ValueError("no root entry")
        self.root = root
        self.names = frozenset(self.by_name)
        self._mini: list[int] | None = None
        if self.n_minifat:  # calamine loads both chains only then
            self._mini = self._chain(root.start, root.size)
            self._minifat = self._chain(self.minifat_start, self.n_minifat * self.ss)

    def _fat_ids(self, h: bytes, nxt: int) -> tuple[list[int], int]:
        """The FAT's sector ids from the header and the DIFAT chain, followed as calamine does (to the
        first marker, whatever the header's count says); each id at most once, all inside the file."""
        per = self.ss // 4
        ids = [s for s in struct.unpack_from("<109I", h, 0x4C) if s < _DIFSECT]
        seen = bytearray(self.count)
        walked = 0
        while nxt < _MAXREG:
            if nxt >= self.count or seen[nxt]:
                raise ValueError("DIFAT chain loops or leaves the file")
            seen[nxt] = 1
            walked += 1
            more = struct.unpack(f"<{per}I", self._sector(nxt, whole=True))
            ids += [s for s in more[:-1] if s < _DIFSECT]
            nxt = more[-1]
            if len(ids) > self.count:
                raise ValueError("more FAT sectors than the file has")
        if len(set(ids)) != len(ids) or any(s >= self.count for s in ids):
            raise ValueError("FAT sector listed twice or outside the file")
        return ids, walked

    def _entry(self, raw: bytes) -> Entry:
        name = raw[:64].decode("utf-16-le", "replace").split("\0", 1)[0]
        start, size = struct.unpack_from("<IQ", raw, 116)
        return Entry(name, raw[66], start, size & 0xFFFFFFFF if self.ss == 512 else size)

    def _keep(self, e: Entry) -> None:
        key = e.name.casefold()
        if key in WANTED:
            same = self.by_name.setdefault(key, [])
            if len(same) >= MAX_SAME_NAME:
                raise ValueError("too many entries of one name")
            same.append(e)

    def _sector(self, n: int, whole: bool = False) -> bytes:
        """Sector ``n``; ``whole`` refuses a sector cut short by the end of the file (structure sectors)."""
        if n >= self.count:
            raise ValueError("sector beyond the end of the file")
        self.f.seek((n + 1) * self.ss)
        data = self.f.read(self.ss)
        if whole and len(data) < self.ss:
            raise ValueError("truncated sector")
        return data.ljust(self.ss, b"\0")

    def _chain(self, start: int, need: int | None = None) -> list[int]:
        """A chain's sector ids, walked as calamine walks it (to ENDOFCHAIN, or until ``need`` bytes
        are covered); refused when it comes back to a sector or leaves the file or the FAT."""
        out: list[int] = []
        seen = bytearray(self.count)
        while start != _END:
            if start >= self.count or start >= len(self.fat) or seen[start]:
                raise ValueError("broken sector chain")
            seen[start] = 1
            out.append(start)
            if need is not None and len(out) * self.ss >= need:
                break
            start = self.fat[start]
        return out

    # --- the streams ---------------------------------------------------------------------------

    def entries(self, *names: str) -> list[Entry]:
        """Every entry whose name is one of ``names`` in any case (a wanted name), in directory order."""
        return [e for n in names for e in self.by_name.get(n.casefold(), ())]

    def workbook(self) -> Entry | None:
        """The entry calamine reads as the workbook, whatever its type."""
        for name in WORKBOOK_NAMES:
            for e in self.by_name.get(name.casefold(), ()):
                if e.name == name:
                    return e
        return None

    def check_chain(self, e: Entry) -> None:
        """Refuse a stream whose chain calamine would follow forever (a mini stream's is cut at 4 KB)."""
        if e.size >= CUTOFF:
            self._chain(e.start, e.size)
        elif self._mini is None:
            raise ValueError("mini stream without a mini FAT")

    def stream(self, e: Entry, limit: int) -> bytes:
        """A whole stream, refusing one larger than ``limit`` bytes."""
        if e.size > limit:
            raise ValueError("stream size")
        if e.size >= CUTOFF:
            return b"".join(self._sector(s) for s in self._chain(e.start, e.size))[: e.size]
        return b"".join(self._mini_sector(k) for k in self._mini_chain(e.start, e.size))[: e.size]

    def file_offset(self, e: Entry, pos: int) -> int:
        """Where byte ``pos`` of stream ``e`` lies in the file (to patch a record in place)."""
        if e.size >= CUTOFF:
            chain = self._chain(e.start, e.size)
            return (chain[pos // self.ss] + 1) * self.ss + pos % self.ss
        k = self._mini_chain(e.start, e.size)[pos // 64]
        index, within = divmod(k * 64, self.ss)
        assert self._mini is not None
        return (self._mini[index] + 1) * self.ss + within + pos % 64

    def head(self, e: Entry) -> bytes:
        """The first bytes of a stream (a regular sector, or one mini sector of 64 bytes)."""
        if e.size >= CUTOFF:
            return self._sector(e.start)[: e.size]
        return self._mini_sector(e.start)[: min(e.size, 64)]

    def _mini_sector(self, k: int) -> bytes:
        index, within = divmod(k * 64, self.ss)
        if self._mini is None or index >= len(self._mini):
            raise ValueError("mini stream")
        return self._sector(self._mini[index])[within : within + 64]

    def _mini_chain(self, start: int, need: int) -> list[int]:
        """A mini stream's mini sector ids, over the mini FAT (read a sector at a time)."""
        out: list[int] = []
        seen: set[int] = set()
        per = self.ss // 4
        while start != _END and len(out) * 64 < need:
            index = start // per
            if self._mini is None or index >= len(self._minifat) or start in seen:
                raise ValueError("broken mini chain")
            seen.add(start)
            out.append(start)
            (start,) = struct.unpack_from("<I", self._sector(self._minifat[index], whole=True), (start % per) * 4)
        return out


def biff_filepass(head: bytes) -> bool:
    """A FILEPASS record right after BOF (and an optional WRITEPROT) means an open password."""
    pos = 0
    while pos + 4 <= len(head):
        kind, length = struct.unpack_from("<HH", head, pos)
        if kind == 0x002F:
            return True
        if kind not in (0x0809, 0x0409, 0x0209, 0x0009, 0x0086):
            return False
        pos += 4 + length
    return False


def describe_ole(names: frozenset[str] | set[str] | dict) -> str:
    if "worddocument" in names:
        return "Word 97-2003文档"
    if "powerpoint document" in names:
        return "PowerPoint 97-2003演示文稿"
    return "不含Excel工作表的OLE复合文档"
