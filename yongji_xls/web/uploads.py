"""Turning an HTTP upload into (file name, bytes) pairs, within limits.

Bytes are read with a cap (a file over the limit is a 413, never written anywhere), and a .zip
is opened only to list and copy out its workbook members: its directory is checked first
(member count, declared sizes, total), each member is read with its declared size as a hard
cap, and nothing is ever extracted to disk. What is inside is then stored and checked like any
other upload, by the library's pre-flight and reader.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from typing import IO

from ..issues import Issue, issue
from .workspace import WORKBOOK_SUFFIXES

MAX_MEMBERS = 200
CHUNK = 1024 * 1024


class TooLarge(Exception):
    """An uploaded file (or zip member) over the per-file limit."""


@dataclass(frozen=True)
class Upload:
    name: str  # as the client (or the zip) named it; only ever shown and turned into a safe name
    data: bytes


def read_capped(stream: IO[bytes], limit: int) -> bytes:
    buf = bytearray()
    while True:
        chunk = stream.read(CHUNK)
        if not chunk:
            return bytes(buf)
        buf += chunk
        if len(buf) > limit:
            raise TooLarge


def _skipped(name: str) -> bool:
    base = name.rsplit("/", 1)[-1]
    return name.startswith("__MACOSX/") or "/__MACOSX/" in name or base.startswith(("._", "~$", ".~lock")) or not base


def unpack_zip(name: str, data: bytes, file_limit: int, total_limit: int) -> tuple[list[Upload], list[Issue]]:
    """The workbook members of an uploaded .zip, or the issue saying why none were taken."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, NotImplementedError) as e:
        return [], [issue("upload_zip_bad", file=name, detail=type(e).__name__)]
    members = [
        i
        for i in infos
        if not i.is_dir() and not _skipped(i.filename) and i.filename.lower().endswith(WORKBOOK_SUFFIXES)
    ]
    if len(infos) > MAX_MEMBERS * 5 or len(members) > MAX_MEMBERS:
        return [], [issue("upload_zip_bad", file=name, detail=f"成员过多（{len(infos)}个）")]
    if any(i.flag_bits & 0x1 for i in members):
        return [], [issue("upload_zip_bad", file=name, detail="压缩包设有密码")]
    if any(i.file_size > file_limit for i in members) or sum(i.file_size for i in members) > total_limit:
        return [], [
            issue(
                "upload_zip_bad",
                file=name,
                detail=f"解压后超过每个文件{file_limit // CHUNK}MB或合计{total_limit // CHUNK}MB",
            )
        ]
    if not members:
        return [], [issue("upload_zip_empty", file=name)]
    out = []
    try:
        for info in members:
            with zf.open(info) as f:
                body = f.read(info.file_size + 1)
            if len(body) > info.file_size:
                return [], [issue("upload_zip_bad", file=name, detail=f"成员「{info.filename}」实际大小与声明不符")]
            out.append(Upload(info.filename, body))
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as e:
        return [], [issue("upload_zip_bad", file=name, detail=type(e).__name__)]
    return out, []
