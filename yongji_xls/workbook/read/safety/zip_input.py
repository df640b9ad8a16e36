"""A .zip of returned workbooks in the input folder: its workbooks are read like loose files.

The zip itself passes the pre-flight's bomb checks first (member count, sizes, ratios: the same
:class:`~.preflight.Limits`); then each workbook member is copied, with its declared size as a hard
cap, into a temporary folder under a sanitised flat name (never a path taken from the zip, so
nothing is written outside that folder), and handed to the normal pre-flight and reader. Names
from a zip made on Chinese Windows are GBK without the UTF-8 flag: they are decoded as GB18030.
Lock files, macOS forks and ``__MACOSX/`` are skipped silently; anything else is listed.

A zip inside the zip (an office that zipped each town's zip) is read the same way, one level down:
depth ≤ 2 (:data:`MAX_DEPTH`), each inner zip passing the same checks, and all the bytes written
for one zip in the input folder, its inner zips' included, within one budget (the limits' total).
An upload (:func:`read_zip`, held in memory) goes through the same walk.
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
MAX_DEPTH = 2  # a zip in the input folder (1) and a zip inside it (2); deeper ones are named, not read

Member = tuple[zipfile.ZipInfo, str, str]  # (info, display name, the member's own file name)
Taken = tuple[list[T], list[Issue]]


def member_name(info: zipfile.ZipInfo) -> str:
    """The member's name as its author saw it."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("gb18030")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


def _is_zip(name: str) -> bool:
    return Path(name).suffix.lower() == ".zip"


def expand_zip(
    path: Path,
    display: str,
    into: Path,
    limits: Limits = DEFAULT_LIMITS,
    depth: int = 1,
    budget: list[int] | None = None,
) -> tuple[list[tuple[Path, str]], list[Issue]]:
    """(temporary path, display name) of each workbook member, and the issues found."""
    left = [limits.max_total_uncompressed] if budget is None else budget

    def copy(zf: zipfile.ZipFile, members: list[Member]) -> Taken[tuple[Path, str]]:
        out: list[tuple[Path, str]] = []
        issues: list[Issue] = []
        for n, (info, shown, name) in enumerate(members):
            if _is_zip(name):
                inner = into / f"{n:04d}_zip"
                inner.mkdir()
                _copy(zf, info, inner / "inner.zip", left)
                found, more = expand_zip(inner / "inner.zip", shown, inner, limits, depth + 1, left)
                out.extend(found)
                issues.extend(more)
                continue
            target = into / safe_filename(f"{n:04d}_{Path(name).stem}", Path(name).suffix.lower())
            _copy(zf, info, target, left)
            out.append((target, shown))
        return out, issues

    return _walk(lambda: path.stat().st_size, path.read_bytes, path, display, limits, depth, copy)


def read_zip(
    raw: bytes,
    display: str,
    member_limit: int,
    limits: Limits = DEFAULT_LIMITS,
    depth: int = 1,
    budget: list[int] | None = None,
) -> tuple[list[tuple[str, bytes]], list[Issue]]:
    """(display name, bytes) of each workbook member of a zip held in memory (an upload), or no
    member at all with the issue saying why: the same checks as :func:`expand_zip` (an inner zip
    included), and no workbook member above ``member_limit`` bytes. Nothing is inflated before the
    checks pass."""
    import io

    left = [limits.max_total_uncompressed] if budget is None else budget

    def take(zf: zipfile.ZipFile, members: list[Member]) -> Taken[tuple[str, bytes]]:
        sizes = ((shown, i.file_size) for i, shown, name in members if not _is_zip(name))
        big = next(((shown, size) for shown, size in sizes if size > member_limit), None)
        if big is not None:
            detail = f"其中「{big[0]}」解压后为{big[1] / (1 << 20):.1f} MB，超过每个文件{member_limit >> 20} MB"
            raise _Refused("file_too_large", detail=detail)
        out: list[tuple[str, bytes]] = []
        issues: list[Issue] = []
        for info, shown, name in members:
            data = _read(zf, info, left)
            if _is_zip(name):
                found, more = read_zip(data, shown, member_limit, limits, depth + 1, left)
                out.extend(found)
                issues.extend(more)
            else:
                out.append((shown, data))
        return out, issues

    return _walk(lambda: len(raw), lambda: raw, io.BytesIO(raw), display, limits, depth, take)


_UNZIP_ERRORS = (OSError, zipfile.BadZipFile, ValueError, EOFError, NotImplementedError, RuntimeError)


def _walk(
    size: Callable[[], int],
    data: Callable[[], bytes],
    source: Any,
    display: str,
    limits: Limits,
    depth: int,
    take: Callable[[zipfile.ZipFile, list[Member]], Taken[T]],
) -> Taken[T]:
    """The checks both ways in share (whole size, end-of-directory count, directory, then
    ``take`` over the workbook members and inner zips); a refusal or a broken zip is one issue
    and no member."""
    try:
        if size() > limits.max_file_bytes:
            return [], [issue("file_too_large", file=display, detail=f"压缩包大于{limits.max_file_bytes >> 20} MB")]
        _eocd_count(data(), limits)
        with zipfile.ZipFile(source) as zf:
            members, issues = _members(zf, display, limits, depth)
            out, more = take(zf, members)
            return out, issues + more
    except _Refused as r:
        return [], [issue(r.code, file=display, **r.params)]
    except _UNZIP_ERRORS as e:
        return [], [issue("file_corrupt", file=display, detail="压缩包无法解压", library=e)]


def _members(zf: zipfile.ZipFile, display: str, limits: Limits, depth: int) -> tuple[list[Member], list[Issue]]:
    """The directory checked against ``limits`` (raises _Refused), then each workbook member and
    each inner zip (below :data:`MAX_DEPTH`); other members listed as issues, lock files skipped."""
    infos = zf.infolist()
    _check_directory(infos, limits)
    out: list[Member] = []
    issues: list[Issue] = []
    for info in infos:
        name = member_name(info)
        parts = [p for p in name.replace("\\", "/").split("/") if p]
        if info.is_dir() or not parts or "__MACOSX" in parts or parts[-1].startswith(_SILENT_PREFIXES):
            continue
        shown = f"{display}/{'/'.join(parts)}"
        suffix = Path(parts[-1]).suffix.lower()
        if suffix == ".zip" and depth >= MAX_DEPTH:
            issues.append(issue("zip_nested_deep", file=shown, member=parts[-1]))
        elif suffix != ".zip" and suffix not in EXTENSIONS:
            issues.append(issue("file_unsupported", file=shown, ext=suffix or "无扩展名"))
        else:
            out.append((info, shown, parts[-1]))
    return out, issues


def _spend(info: zipfile.ZipInfo, budget: list[int]) -> None:
    """Refuse an encrypted member, or one larger than what is left of the whole expansion's
    ``budget`` (one int in a list, shared by inner zips); else take its size from the budget."""
    if info.flag_bits & 1:
        raise _Refused("file_encrypted")
    if info.file_size > budget[0]:
        raise _Refused("file_zip_bomb", detail="压缩包（含其中的压缩包）解压后总量超过上限")
    budget[0] -= info.file_size


def _read(zf: zipfile.ZipFile, info: zipfile.ZipInfo, budget: list[int]) -> bytes:
    """One member's bytes, never more than it declares (zipfile checks the CRC at the end)."""
    _spend(info, budget)
    with zf.open(info) as src:
        data = src.read(info.file_size + 1)
    if len(data) > info.file_size:
        raise _Refused("file_zip_bomb", detail="成员解压后大于记录的大小")
    return data


def _copy(zf: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path, budget: list[int]) -> None:
    """Copy one member, never more than it declares (zipfile checks the CRC at the end)."""
    _spend(info, budget)
    written = 0
    with zf.open(info) as src, open(target, "wb") as dst:
        while chunk := src.read(_CHUNK):
            written += len(chunk)
            if written > info.file_size:
                raise _Refused("file_zip_bomb", detail="成员解压后大于记录的大小")
            dst.write(chunk)
