"""A unit's template package, rendered once and kept, that feedback workbooks are patched from.

A feedback workbook is the unit's template with values, highlights and comments in it (see
:mod:`.feedback`). Rendering the template with xlsxwriter costs ~10 ms a workbook (every cell,
validation and style through Python objects and back to XML); the template of a unit, year and
deadline is the same in every run, so it is rendered once, split into its parts (each sheet into
head, rows and tail) and pickled to the user cache under a hash of everything the writer reads
(the unit's layout, the 填报说明 lines, the dropdown lists, the writer's own code and the
xlsxwriter version). :mod:`.patch` then writes only what differs.

The rendered package is a blank template with three additions a plain template does not need:
an empty 问题清单 in front, every input format in every look (plain, 已预填, problem) registered
in the styles part so a patched cell can name it, and list sheets as long as the fill needs.
"""

from __future__ import annotations

import hashlib
import html
import io
import pickle
import re
import zipfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ... import __version__
from ...files.zip_pieces import deflate_piece
from ...system.model import Spec
from ...system.shares import UnitShare
from .. import layout as L
from ..instructions import instruction_lines
from .fill import ACCEPTED, PREFILLED, PROBLEM, Fill

PACKAGE_FORMAT = 2
INPUT_KINDS = ("text", "long", "number", "yesno", "status", "choice", "date", "year", "code")
LOOKS = (ACCEPTED, PREFILLED, PROBLEM)
_ROW = re.compile(r'<row r="(\d+)"[^>]*?(?:/>|>.*?</row>)', re.S)
_HT = re.compile(r' ht="([0-9.]+)"')
_SHEET = re.compile(r'<sheet name="([^"]*)" sheetId="\d+"(?: state="\w+")? r:id="(rId\d+)"/>')
_REL = re.compile(r'<Relationship Id="(rId\d+)" Type="[^"]*/worksheet" Target="([^"]+)"/>')
Front = tuple[str, tuple[str, ...]]  # a sheet in front of the template: name, headers
_CODE = ("template_writer.py", "styles.py", "fill.py", "package.py", "patch.py")


class PackageMismatch(Exception):
    """The rendered package does not have a cell or part the patcher expects (a writer change
    the package format did not follow); the feedback workbook is then written the slow way."""


@dataclass
class SheetPart:
    """One worksheet part split where the patcher writes: ``rows`` (0-based row -> the whole
    ``<row>`` element), ``heights`` (row -> pixels, rows with their own height only)."""

    part: str
    head: str
    rows: dict[int, str]
    tail: str
    heights: dict[int, int] = field(default_factory=dict)


@dataclass
class Package:
    """The parts of a rendered template in zip order (sheet parts stay in ``sheets``), the xf
    index of each (input kind, look) and of the read-only and header formats, and the shared
    strings part's counts."""

    parts: list[tuple[str, bytes]]
    sheets: dict[str, SheetPart]
    xf: dict[tuple[str, str], int]
    sst_count: int
    sst_unique: int
    deflated: dict[str, bytes] = field(default_factory=dict)  # pieces deflated once (see :mod:`...files.zip_pieces`)


def package_for(
    spec: Spec, share: UnitShare, year: int, deadline: str, fill: Fill, sheets: list[L.SheetLayout]
) -> Package:
    """The rendered package a feedback workbook with ``fill`` (whose keyed sheets are ``sheets``)
    is patched from: kept per spec in this process, and on disk in the user cache; rendered when
    neither has it."""
    shape = tuple((s.name, len(s.rows)) for s in sheets)
    front = (fill.front[0], tuple(fill.front[1])) if fill.front is not None else ("", ())
    rows = tuple(fill.list_rows().items())
    return spec.derived.memo(_load_or_render, share.unit, year, deadline, shape, rows, front)


def _load_or_render(
    spec: Spec, unit: str, year: int, deadline: str, shape: tuple, rows: tuple, front: Front
) -> Package:
    from ...system.shares import unit_share

    share, list_rows = unit_share(spec, unit, year), dict(rows)
    digest = _digest(spec, share, year, deadline, list_rows, front)
    cached = _cache_file(digest)
    if cached is not None and cached.is_file():
        try:
            pkg = pickle.loads(cached.read_bytes())
            if isinstance(pkg, Package):
                return pkg
        except Exception:  # noqa: BLE001 - a damaged or foreign cache file is rendered again
            pass
    pkg = render(spec, share, year, deadline, list_rows, front)
    if cached is not None:
        _store(cached, pkg)
    return pkg


def render(spec: Spec, share: UnitShare, year: int, deadline: str, list_rows: dict[str, int], front: Front) -> Package:
    """The template of ``share`` with ``front`` (sheet name, headers: the 问题清单) in front
    and no rows under its headers, every input look registered."""
    from .styles import new_workbook
    from .template_writer import build_workbook

    buf = io.BytesIO()
    wb = new_workbook(buf)
    fill = Fill(lists={k: [{}] * n for k, n in list_rows.items()}, front=(front[0], front[1], []))
    styles = build_workbook(wb, spec, share, year, deadline, "", fill)
    formats = {
        (kind, look): styles.input(kind, "" if look == ACCEPTED else look) for kind in INPUT_KINDS for look in LOOKS
    }
    formats[("td", "")] = styles.get("td")
    # an unused format has no index and is left out of styles.xml; a format equal to another
    # shares its index (returned, not stored on the format)
    xf = {k: fmt._get_xf_index() for k, fmt in formats.items()}
    wb.close()
    return split(buf.getvalue(), xf)


def split(data: bytes, xf: dict[tuple[str, str], int]) -> Package:
    """A rendered xlsx split into parts, each worksheet into head, rows and tail."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        parts = [(name, zf.read(name)) for name in zf.namelist()]
    by_name = dict(parts)
    rels = dict(_REL.findall(by_name["xl/_rels/workbook.xml.rels"].decode("utf-8")))
    sheets = {}
    for name, rid in _SHEET.findall(by_name["xl/workbook.xml"].decode("utf-8")):
        part = "xl/" + rels[rid]
        if f"xl/worksheets/_rels/{part.rsplit('/', 1)[1]}.rels" in by_name:
            raise PackageMismatch(part)  # the patcher writes each sheet's relationships itself
        sheets[html.unescape(name)] = _split_sheet(part, by_name[part].decode("utf-8"))
    sst = by_name["xl/sharedStrings.xml"][:400].decode("utf-8", "ignore")
    count = re.search(r' count="(\d+)"', sst)
    unique = re.search(r' uniqueCount="(\d+)"', sst)
    if count is None or unique is None:
        raise PackageMismatch("xl/sharedStrings.xml")
    sheet_parts = {s.part for s in sheets.values()}
    pkg = Package([(n, b"" if n in sheet_parts else b) for n, b in parts], sheets, xf, int(count[1]), int(unique[1]))
    pkg.deflated = _deflate_pieces(pkg)
    return pkg


def _deflate_pieces(pkg: Package) -> dict[str, bytes]:
    """The pieces every feedback workbook of this package repeats, deflated once: every part
    but the sheets, the shared strings' body, and each sheet whole and as head and tail."""
    out = {}
    for name, data in pkg.parts:
        if name == "xl/sharedStrings.xml":
            out["sst"] = deflate_piece(sst_body(data))
        elif data:
            out[name] = deflate_piece(data)
    for sheet in pkg.sheets.values():
        out[sheet.part] = deflate_piece(join_sheet(sheet))
        out["head:" + sheet.part] = deflate_piece(sheet.head.encode("utf-8"))
        out["tail:" + sheet.part] = deflate_piece(sheet.tail.removesuffix("</worksheet>").encode("utf-8"))
    return out


def sst_body(data: bytes) -> bytes:
    """The shared strings part between its opening tag and ``</sst>``."""
    return data[data.index(b">", data.index(b"<sst")) + 1 : data.rindex(b"</sst>")]


def join_sheet(sheet: SheetPart) -> bytes:
    return (sheet.head + "".join(sheet.rows[r] for r in sorted(sheet.rows)) + sheet.tail).encode("utf-8")


def _split_sheet(part: str, xml: str) -> SheetPart:
    xml = xml.replace("<sheetData/>", "<sheetData></sheetData>")
    start = xml.index("<sheetData>") + len("<sheetData>")
    end = xml.index("</sheetData>")
    rows, heights = {}, {}
    for m in _ROW.finditer(xml, start, end):
        r = int(m.group(1)) - 1
        rows[r] = m.group(0)
        tag = m.group(0)[: m.group(0).index(">")]
        if (ht := _HT.search(tag)) is not None:
            heights[r] = round(float(ht.group(1)) / 0.75)
    return SheetPart(part, xml[:start], rows, xml[end:], heights)


# -- the cache -------------------------------------------------------------------------------
def _digest(
    spec: Spec,
    share: UnitShare,
    year: int,
    deadline: str,
    list_rows: dict[str, int],
    front: Front = ("", ()),
) -> str:
    """Everything the template writer reads for this unit, and the writer itself."""
    import xlsxwriter

    inputs = (
        PACKAGE_FORMAT,
        __version__,
        xlsxwriter.__version__,
        share.unit,
        spec.unit(share.unit).no,
        year,
        deadline,
        spec.title,
        spec.version,
        dict(spec.office),
        L.TEMPLATE_VERSION,
        L.keyed_sheets(spec, share, year, list_rows),
        instruction_lines(spec, share, year, deadline),
        L.list_choices(spec),
        front,
    )
    return hashlib.sha256(_code_digest() + repr(inputs).encode("utf-8")).hexdigest()[:24]


@lru_cache(maxsize=1)
def _code_digest() -> bytes:
    here = Path(__file__).resolve().parent
    code = b"".join((here / n).read_bytes() for n in _CODE)
    code += b"".join((here.parent / n).read_bytes() for n in ("layout.py", "instructions.py"))
    return hashlib.sha256(code).digest()


def _cache_file(digest: str) -> Path | None:
    from ...files.user_cache import cache_dir

    base = cache_dir()
    return base / "packages" / f"{digest}.pickle" if base is not None else None


_KEEP = 400  # packages kept (a unit, year and deadline each; ~40 KB apiece)


def _store(target: Path, pkg: Package) -> None:
    """Write the package atomically; a folder that cannot be written only costs the next render."""
    from ...files.atomic import write_bytes

    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        write_bytes(target, pickle.dumps(pkg, protocol=pickle.HIGHEST_PROTOCOL))
        old = sorted(target.parent.glob("*.pickle"), key=lambda p: p.stat().st_mtime)
        for stale in old[:-_KEEP]:
            stale.unlink(missing_ok=True)
    except OSError:
        pass
