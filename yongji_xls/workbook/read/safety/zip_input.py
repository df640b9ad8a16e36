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
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from ....files.safe_names import safe_filename
from ....issues import Issue, issue
from .preflight import DEFAULT_LIMITS, EXTENSIONS, Limits, _check_directory, _eocd_count, _Refused

_SILENT_PREFIXES = ("~$", ".~lock", "._")
_CHUNK = 1 << 20
MAX_DEPTH = 2  # a zip in the input folder (1) and a zip inside it (2); deeper ones are named, not read


def member_name(info: zipfile.ZipInfo) -> str:
    """The member's name as its author saw it."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("gb18030")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


def expand_zip(
    path: Path,
    display: str,
    into: Path,
    limits: Limits = DEFAULT_LIMITS,
    depth: int = 1,
    budget: list[int] | None = None,
) -> tuple[list[tuple[Path, str]], list[Issue]]:
    """(temporary path, display name) of each workbook member, and the issues found."""
    issues: list[Issue] = []
    budget = [limits.max_total_uncompressed] if budget is None else budget
    try:
        if path.stat().st_size > limits.max_file_bytes:
            return [], [issue("file_too_large", file=display, detail=f"压缩包大于{limits.max_file_bytes >> 20} MB")]
        raw = path.read_bytes()
        _eocd_count(raw, limits)
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            _check_directory(infos, limits)
            out = []
            for n, info in enumerate(infos):
                name = member_name(info)
                parts = [p for p in name.replace("\\", "/").split("/") if p]
                if info.is_dir() or not parts or "__MACOSX" in parts or parts[-1].startswith(_SILENT_PREFIXES):
                    continue
                shown = f"{display}/{'/'.join(parts)}"
                suffix = Path(parts[-1]).suffix.lower()
                if suffix == ".zip":
                    if depth >= MAX_DEPTH:
                        issues.append(issue("zip_nested_deep", file=shown, member=parts[-1]))
                        continue
                    inner = into / f"{n:04d}_zip"
                    inner.mkdir()
                    _copy(zf, info, inner / "inner.zip", budget)
                    members, found = expand_zip(inner / "inner.zip", shown, inner, limits, depth + 1, budget)
                    out.extend(members)
                    issues.extend(found)
                    continue
                if suffix not in EXTENSIONS:
                    issues.append(issue("file_unsupported", file=shown, ext=suffix or "无扩展名"))
                    continue
                target = into / safe_filename(f"{n:04d}_{Path(parts[-1]).stem}", suffix)
                _copy(zf, info, target, budget)
                out.append((target, shown))
    except _Refused as r:
        return [], [issue(r.code, file=display, **r.params)]
    except (OSError, zipfile.BadZipFile, ValueError, EOFError, NotImplementedError, RuntimeError) as e:
        return [], [issue("file_corrupt", file=display, detail="压缩包无法解压", library=e)]
    return out, issues


def _copy(zf: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path, budget: list[int]) -> None:
    """Copy one member, never more than it declares (zipfile checks the CRC at the end), nor
    more than is left of the whole expansion's ``budget`` (one int in a list, shared by inner zips)."""
    if info.flag_bits & 1:
        raise _Refused("file_encrypted")
    if info.file_size > budget[0]:
        raise _Refused("file_zip_bomb", detail="压缩包（含其中的压缩包）解压后总量超过上限")
    budget[0] -= info.file_size
    written = 0
    with zf.open(info) as src, open(target, "wb") as dst:
        while chunk := src.read(_CHUNK):
            written += len(chunk)
            if written > info.file_size:
                raise _Refused("file_zip_bomb", detail="成员解压后大于记录的大小")
            dst.write(chunk)
