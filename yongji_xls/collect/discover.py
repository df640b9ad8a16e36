"""Find the returned files in an input folder, and unpack the ``.zip`` files among them.

Nothing disappears silently: lock and temporary files are skipped without a word (the office
did not send them), an earlier output folder with one info line, and everything else that is
not read is listed with the reason.
"""

from __future__ import annotations

from pathlib import Path

from ..files.safe_names import display_name
from ..issues import Issue, issue
from ..workbook.read.safety.preflight import EXTENSIONS

SILENT_PREFIXES = ("~$", ".~lock", "._")  # Office/WPS lock files, LibreOffice locks, macOS resource forks
SILENT_NAMES = ("Thumbs.db", ".DS_Store", "desktop.ini")
SILENT_FOLDERS = ("__MACOSX",)
ARCHIVES = (".rar", ".7z")
OWN_OUTPUT_MARK = "scores.json"  # a folder holding this is an earlier run's output folder


def discover(in_dir: Path) -> tuple[list[Path], list[Issue]]:
    """Every file under ``in_dir`` in a stable order; lock/temporary files are skipped silently,
    an earlier output folder with one info line, and anything else not read is listed with the
    reason so nothing disappears silently."""
    files, skipped = [], []
    own_dirs: list[Path] = []
    for p in sorted(in_dir.rglob("*"), key=lambda x: str(x.relative_to(in_dir))):
        rel_parts = p.relative_to(in_dir).parts
        if any(part in SILENT_FOLDERS for part in rel_parts) or any(d in p.parents for d in own_dirs):
            continue
        if p.is_dir():
            if (p / OWN_OUTPUT_MARK).is_file():
                own_dirs.append(p)
                skipped.append(
                    issue(
                        "file_own_output",
                        file=display_name(str(p.relative_to(in_dir))),
                        detail="以前运行本工具生成的输出文件夹",
                    )
                )
            continue
        if not p.is_file():
            continue
        rel = display_name(str(p.relative_to(in_dir)))
        name = p.name
        suffix = p.suffix.lower()
        if name.startswith(SILENT_PREFIXES) or name in SILENT_NAMES:
            continue
        if suffix in EXTENSIONS or suffix == ".zip":
            files.append(p)
        elif name == OWN_OUTPUT_MARK:
            skipped.append(issue("file_own_output", file=rel, detail="以前运行本工具生成的scores.json"))
        elif suffix == ".xml" and _spreadsheetml(p):
            skipped.append(issue("file_old_format", file=rel, what="Excel 2003 XML表格"))
        elif suffix in ARCHIVES:
            skipped.append(issue("file_archive", file=rel, ext=suffix))
        elif suffix == ".csv":
            skipped.append(issue("file_csv", file=rel))
        else:
            skipped.append(issue("file_unsupported", file=rel, ext=p.suffix or "无扩展名"))
    return files, skipped


def _spreadsheetml(path: Path) -> bool:
    from ..workbook.read.safety.preflight import is_spreadsheetml

    try:
        with path.open("rb") as f:
            return is_spreadsheetml(f.read(2048))
    except OSError:
        return False


def expand(in_dir: Path, found: list[Path], tmp: Path) -> tuple[list[tuple[Path, str]], list[Issue]]:
    """The files to read with the names the user sees; a ``.zip``'s workbook members are copied
    under sanitised flat names into ``tmp`` (which must outlive the reading) and shown as
    「压缩包.zip/成员.xlsx」."""
    from ..workbook.read.safety.zip_input import expand_zip

    files: list[tuple[Path, str]] = []
    issues: list[Issue] = []
    for n, p in enumerate(found):
        display = display_name(str(p.relative_to(in_dir)))
        if p.suffix.lower() != ".zip":
            files.append((p, display))
            continue
        folder = tmp / f"{n:04d}"
        folder.mkdir()
        members, zip_issues = expand_zip(p, display, folder)
        issues.extend(zip_issues)
        files.extend(members)
    return files, issues
