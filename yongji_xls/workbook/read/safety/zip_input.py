"""A .zip of returned workbooks in the input folder: its workbooks are read like loose files.

The zip itself passes the pre-flight's bomb checks first (member count, sizes, ratios: the same
:class:`~.preflight.Limits`); then each workbook member is copied, with its declared size as a hard
cap, into a temporary folder under a sanitised flat name (never a path taken from the zip, so
nothing is written outside that folder), and handed to the normal pre-flight and reader. Names
from a zip made on Chinese Windows are GBK without the UTF-8 flag: they are decoded as GB18030.
Lock files, macOS forks and ``__MACOSX/`` are skipped silently; anything else is listed.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from ....files.safe_names import safe_filename
from ....issues import Issue, issue
from .preflight import DEFAULT_LIMITS, EXTENSIONS, Limits, _check_directory, _eocd_count, _Refused

_SILENT_PREFIXES = ("~$", ".~lock", "._")
T = TypeVar("T")
_CHUNK = 1 << 20


def member_name(info: zipfile.ZipInfo) -> str:
    """The member's name as its author saw it."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("gb18030")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


def expand_zip(
    path: Path, display: str, into: Path, limits: Limits = DEFAULT_LIMITS
) -> tuple[list[tuple[Path, str]], list[Issue]]:
    """(temporary path, display name) of each workbook member, and the issues found."""

    def copy(zf: zipfile.ZipFile, members: list[tuple[zipfile.ZipInfo, str, str]]) -> list[tuple[Path, str]]:
        out = []
        for n, (info, shown, name) in enumerate(members):
            target = into / safe_filename(f"{n:04d}_{Path(name).stem}", Path(name).suffix.lower())
            _copy(zf, info, target)
            out.append((target, shown))
        return out

    return _walk(lambda: path.stat().st_size, path.read_bytes, path, display, limits, copy)


def read_zip(
    raw: bytes, display: str, member_limit: int, limits: Limits = DEFAULT_LIMITS
) -> tuple[list[tuple[str, bytes]], list[Issue]]:
    """(display name, bytes) of each workbook member of a zip held in memory (an upload), or no
    member at all with the issue saying why: the same directory checks as :func:`expand_zip`, and
    no workbook member above ``member_limit`` bytes. Nothing is inflated before the checks pass."""
    import io

    def take(zf: zipfile.ZipFile, members: list[tuple[zipfile.ZipInfo, str, str]]) -> list[tuple[str, bytes]]:
        big = next(((shown, i.file_size) for i, shown, _ in members if i.file_size > member_limit), None)
        if big is not None:
            detail = f"其中「{big[0]}」解压后为{big[1] / (1 << 20):.1f} MB，超过每个文件{member_limit >> 20} MB"
            raise _Refused("file_too_large", detail=detail)
        return [(shown, _read(zf, info)) for info, shown, _ in members]

    return _walk(lambda: len(raw), lambda: raw, io.BytesIO(raw), display, limits, take)


_UNZIP_ERRORS = (OSError, zipfile.BadZipFile, ValueError, EOFError, NotImplementedError, RuntimeError)


def _walk(
    size: Callable[[], int],
    data: Callable[[], bytes],
    source: Any,
    display: str,
    limits: Limits,
    take: Callable[[zipfile.ZipFile, list[tuple[zipfile.ZipInfo, str, str]]], list[T]],
) -> tuple[list[T], list[Issue]]:
    """The checks both ways in share (whole size, end-of-directory count, directory, then
    ``take`` over the workbook members); a refusal or a broken zip is one issue and no member."""
    try:
        if size() > limits.max_file_bytes:
            return [], [issue("file_too_large", file=display, detail=f"压缩包大于{limits.max_file_bytes >> 20} MB")]
        _eocd_count(data(), limits)
        with zipfile.ZipFile(source) as zf:
            members, issues = _members(zf, display, limits)
            return take(zf, members), issues
    except _Refused as r:
        return [], [issue(r.code, file=display, **r.params)]
    except _UNZIP_ERRORS as e:
        return [], [issue("file_corrupt", file=display, detail=f"压缩包无法解压（{type(e).__name__}）")]


def _members(
    zf: zipfile.ZipFile, display: str, limits: Limits
) -> tuple[list[tuple[zipfile.ZipInfo, str, str]], list[Issue]]:
    """The directory checked against ``limits`` (raises _Refused), then each workbook member as
    (info, display name, its own file name); other members listed as issues, lock files skipped."""
    infos = zf.infolist()
    _check_directory(infos, limits)
    out, issues = [], []
    for info in infos:
        name = member_name(info)
        parts = [p for p in name.replace("\\", "/").split("/") if p]
        if info.is_dir() or not parts or "__MACOSX" in parts or parts[-1].startswith(_SILENT_PREFIXES):
            continue
        shown = f"{display}/{'/'.join(parts)}"
        suffix = Path(parts[-1]).suffix.lower()
        if suffix not in EXTENSIONS:
            issues.append(issue("file_unsupported", file=shown, ext=suffix or "无扩展名"))
            continue
        out.append((info, shown, parts[-1]))
    return out, issues


def _read(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """One member's bytes, never more than it declares (zipfile checks the CRC at the end)."""
    if info.flag_bits & 1:
        raise _Refused("file_encrypted")
    with zf.open(info) as src:
        data = src.read(info.file_size + 1)
    if len(data) > info.file_size:
        raise _Refused("file_zip_bomb", detail="成员解压后大于记录的大小")
    return data


def _copy(zf: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path) -> None:
    """Copy one member, never more than it declares (zipfile checks the CRC at the end)."""
    if info.flag_bits & 1:
        raise _Refused("file_encrypted")
    written = 0
    with zf.open(info) as src, open(target, "wb") as dst:
        while chunk := src.read(_CHUNK):
            written += len(chunk)
            if written > info.file_size:
                raise _Refused("file_zip_bomb", detail="成员解压后大于记录的大小")
            dst.write(chunk)
