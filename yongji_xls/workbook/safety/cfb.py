"""Just enough of [MS-CFB] (OLE compound files) to list a file's streams and peek at the start
of one: it tells a legacy .xls from a Word file and finds password protection, without olefile
and without reading more than a few sectors."""

from __future__ import annotations

import struct
import sys
from array import array
from typing import BinaryIO

_MAXREG = 0xFFFFFFFA  # sector ids at or above this are markers, not sectors
_END = 0xFFFFFFFE


class Cfb:
    """Just enough of [MS-CFB] to list the directory and peek at the start of a stream."""

    def __init__(self, f: BinaryIO, size: int) -> None:
        self.f, self.size = f, size
        f.seek(0)
        h = f.read(512)
        (shift,) = struct.unpack_from("<H", h, 0x1E)
        if shift not in (9, 12):
            raise ValueError("sector size")
        self.ss = 1 << shift
        n_fat, dir_start = struct.unpack_from("<II", h, 0x2C)
        self.cutoff, _, _, difat_next, n_difat = struct.unpack_from("<5I", h, 0x38)
        most = size // self.ss + 1
        if n_fat > most or n_difat > most:
            raise ValueError("FAT size")
        fat_ids = [s for s in struct.unpack_from("<109I", h, 0x4C) if s < _MAXREG]
        for _ in range(n_difat):
            if difat_next >= _MAXREG:
                break
            ids = struct.unpack(f"<{self.ss // 4}I", self._sector(difat_next))
            fat_ids += [s for s in ids[:-1] if s < _MAXREG]
            difat_next = ids[-1]
        self.fat = array("I", b"".join(self._sector(s) for s in fat_ids[:n_fat]))
        if sys.byteorder == "big":
            self.fat.byteswap()
        self.entries: dict[str, tuple[int, int, int]] = {}  # casefolded name -> (type, start, size)
        self.root = (_END, 0)
        for s in self._chain(dir_start):
            sector = self._sector(s)
            for off in range(0, self.ss, 128):
                self._entry(sector[off : off + 128])

    def _entry(self, raw: bytes) -> None:
        kind = raw[66]
        if kind not in (1, 2, 5):
            return
        (n,) = struct.unpack_from("<H", raw, 64)
        name = raw[: max(min(n, 64) - 2, 0)].decode("utf-16-le", "replace")
        start, size = struct.unpack_from("<IQ", raw, 116)
        size = size & 0xFFFFFFFF if self.ss == 512 else size
        if kind == 5:
            self.root = (start, size)
        self.entries[name.casefold()] = (kind, start, size)

    def _sector(self, n: int) -> bytes:
        off = (n + 1) * self.ss
        if n >= _MAXREG or off >= self.size:
            raise ValueError("sector beyond the end of the file")
        self.f.seek(off)
        return self.f.read(self.ss).ljust(self.ss, b"\0")

    def _chain(self, start: int) -> list[int]:
        out: list[int] = []
        while start != _END:
            if start >= len(self.fat) or len(out) > len(self.fat):
                raise ValueError("broken sector chain")
            out.append(start)
            start = self.fat[start]
        return out

    def stream(self, start: int, size: int, limit: int) -> bytes:
        """A whole regular stream (at least ``cutoff`` bytes), refusing one larger than ``limit``."""
        if size > limit or size < self.cutoff:
            raise ValueError("stream size")
        return b"".join(self._sector(s) for s in self._chain(start))[:size]

    def head(self, start: int, size: int) -> bytes:
        """The first bytes of a stream (a regular sector, or one mini sector of 64 bytes)."""
        if size >= self.cutoff:
            return self._sector(start)[:size]
        index, within = divmod(start * 64, self.ss)
        chain = self._chain(self.root[0])
        if index >= len(chain):
            raise ValueError("mini stream")
        return self._sector(chain[index])[within : within + min(size, 64)]


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


def describe_ole(names: dict) -> str:
    if "worddocument" in names:
        return "Word 97-2003文档"
    if "powerpoint document" in names:
        return "PowerPoint 97-2003演示文稿"
    return "不含Excel工作表的OLE复合文档"
