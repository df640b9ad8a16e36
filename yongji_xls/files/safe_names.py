"""File names built from user text (unit names, file stems) and the output-folder guard.

A name from ``safe_filename`` is valid on Windows, macOS and Linux: no separators or
``\\ / : * ? " < > |``, no control characters, no invisible format characters (bidirectional
overrides that disguise ``exe.xlsx``, zero-width spaces that make two names look alike), no lone
surrogates, not a reserved device name (CON, PRN, AUX, NUL, CLOCK$, CONIN$, CONOUT$, COM0-9,
LPT0-9, with any extension), no leading dot, no trailing dot or space, never empty, at most
``max_len`` characters, 255 UTF-8 bytes (the Linux limit; 120 Chinese characters would be 360
bytes) and 255 UTF-16 units (NTFS). Chinese is kept as it is, and the suffix is always kept.
pathvalidate was measured against this and is not used (docs/design-decisions.md, "OLE checks
and file names").
"""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path

_FORBIDDEN = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f-\x9f]')
_SPACES = re.compile(r"\s+")
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_RESERVED = {"CON", "PRN", "AUX", "NUL", "CLOCK$", "CONIN$", "CONOUT$"} | {
    f"{p}{n}" for p in ("COM", "LPT") for n in [*"0123456789", "¹", "²", "³"]
}
MAX_BYTES = 255
FALLBACK = "未命名"


def safe_filename(text: str, suffix: str = "", max_len: int = 120) -> str:
    """A portable file name from ``text``, ending with ``suffix`` (e.g. ``".xlsx"``)."""
    suffix = _clean(suffix).rstrip(" .") if suffix.strip(" .") else ""
    budget = max_len - len(suffix)
    if budget < 2 or len(suffix.encode("utf-8")) > MAX_BYTES - 16:
        raise ValueError(f"max_len={max_len} leaves no room for a name before {suffix!r}")
    name = _clean(text).strip(" .") or FALLBACK
    if _reserved(name + suffix):
        name = "_" + name
    while True:
        name = name[:budget].rstrip(" .") or FALLBACK
        full = name + suffix
        if len(full.encode("utf-8")) <= MAX_BYTES and len(full.encode("utf-16-le")) <= 2 * MAX_BYTES:
            break
        budget = len(name) - 1
    if _reserved(name + suffix):  # cutting "CONSOLE" to "CON" makes a device name again
        name = "_" + name[: budget - 1]
    return name + suffix


def _clean(text: str) -> str:
    text = unicodedata.normalize("NFC", _unescaped(str(text)))
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")  # invisible format characters
    text = _FORBIDDEN.sub("_", _CONTROL.sub("_", text))  # and lone surrogates
    return _SPACES.sub(" ", text)


def _reserved(name: str) -> bool:
    """Windows ignores the extension and trailing spaces: "con.txt" and "NUL .xlsx" are devices."""
    stem = name.split(".", 1)[0].rstrip(" ").upper()
    return stem in _RESERVED


def display_name(name: str) -> str:
    """A file name as a person should read it, always valid Unicode.

    A zip made on Windows and unpacked on Kylin/UOS leaves GBK bytes that Python hands over as
    surrogate escapes (``os.fsdecode``); such a string cannot be written to any output. The
    bytes are decoded as GB18030 (what they almost always are), else shown with U+FFFD. Control
    characters (possible in a Linux file name, illegal in every output) and the bidirectional
    embeddings, overrides and isolates (which would show ``exe.xlsx`` for ``xlsx.exe``) are shown as "?"."""
    return _CONTROL.sub("?", _unescaped(name))


def _unescaped(name: str) -> str:
    """Surrogate escapes (bytes ``os.fsdecode`` could not decode) decoded as GB18030, else U+FFFD."""
    if any("\udc80" <= ch <= "\udcff" for ch in name):
        raw = name.encode("utf-8", "surrogateescape")
        try:
            return raw.decode("gb18030")
        except UnicodeDecodeError:
            return raw.decode("utf-8", "replace")
    return name


def ensure_outside(out_dir: Path, in_dir: Path) -> None:
    """Refuse an output folder that is the input folder or lies inside it (symlinks resolved)."""
    out_dir, in_dir = Path(out_dir), Path(in_dir)
    out_real, in_real = out_dir.resolve(), in_dir.resolve()
    inside = _norm(out_real) == _norm(in_real) or _norm(in_real) in map(_norm, out_real.parents)
    if not inside and in_real.exists():  # same folder under another name (bind mount, case-insensitive disk)
        inside = any(p.exists() and os.path.samefile(p, in_real) for p in (out_real, *out_real.parents))
    if inside:
        raise ValueError(
            f"输出文件夹「{out_dir}」是输入文件夹「{in_dir}」本身或在其中。为避免改动报送文件，请另选一个不在输入文件夹内的输出文件夹"
        )


def _norm(path: Path) -> str:
    return os.path.normcase(str(path))
