"""The package's dependence rule, derived from the code: the folders are the stages in the order the
data flows, and each imports only what lies at its own level or below.

The graph is read with ``ast`` from every ``.py`` file under ``yongji_xls/``: every ``import`` and
``from … import`` anywhere in a file counts, inside functions and ``if TYPE_CHECKING:`` blocks too,
so an import deferred into a function cannot hide an upward edge or a circle. Three rules:

1. no upward import: a module's stage is at or above the stage of everything it imports;
2. no circle between modules (an import of a package counts as an import of its ``__init__``);
3. the faces (``cli.py``, ``web/``) import only ``api``, ``issues`` and their own modules.

The checker is tested on a small fake package that breaks each rule.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "yongji_xls"

LEVELS: tuple[tuple[str, ...], ...] = (
    # bottom first; a stage is a module or a folder, named as dotted from the package
    ("", "coded_text", "issues", "files", "executor"),  # version, catalogue, file utilities, worker processes
    ("system",),  # the indicator system as data; rule_kinds is its ground floor
    ("values",),  # what people type -> typed values; list identity
    ("scoring",),  # rules registered against system.rule_kinds, the engine, scorecards, display
    ("records",),  # Submission, Entry, RunResult: what the stages after scoring pass on
    ("workbook",),  # what both Excel edges share: key <-> cell layout, A1 cells, 填报说明 texts
    ("workbook.read",),  # pre-flight safety checks, the reader by key, the review sheet
    ("collect",),  # discover, read (the caller's pool), choose, merge, score
    ("workbook.write",),  # templates, feedback, prefill, the system and office-configuration editors
    ("report",),  # breakdown workbook, Word report, chart, scores.json, the write stage
    ("rollup",),  # the city's view over counties' outputs
    ("api",),  # the only door; owns the executor
    ("cli", "cli_errors", "cli_help", "__main__", "web"),  # the faces
)
FACES = ("cli", "cli_errors", "cli_help", "__main__", "web")
FACE_MAY_IMPORT = ("api", "issues", "", *FACES)  # and its own modules; "" is __version__; cli starts web


def module_names(package: Path) -> dict[str, Path]:
    """Dotted module name (without the package's own name; '' for its ``__init__``) -> file."""
    out = {}
    for file in package.rglob("*.py"):
        parts = list(file.relative_to(package).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = file
    return out


def imports(package: Path) -> list[tuple[str, str, int]]:
    """(importer, imported, line) for every import of a module of ``package`` by another,
    wherever it stands in the file."""
    modules = module_names(package)
    edges = []
    for name, file in modules.items():
        is_init = file.name == "__init__.py"
        here = name.split(".") if name else []
        if not is_init:
            here = here[:-1]
        for node in ast.walk(ast.parse(file.read_text("utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [_own(a.name, package.name) for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = here[: len(here) - (node.level - 1)] if node.level > 1 else here
                    module = ".".join([*base, *([node.module] if node.module else [])])
                else:
                    module = _own(node.module or "", package.name)
                if module is None:
                    continue
                for alias in node.names:  # ``from . import api`` imports the module api
                    sub = f"{module}.{alias.name}" if module else alias.name
                    targets.append(sub if sub in modules else module)
            for target in targets:
                if target is not None and target in modules and target != name:
                    edges.append((name, target, node.lineno))
    return edges


def _own(dotted: str, package: str) -> str | None:
    if dotted == package:
        return ""
    return dotted[len(package) + 1 :] if dotted.startswith(package + ".") else None


def stage_of(module: str, levels: Iterable[Iterable[str]] = LEVELS) -> tuple[int, str]:
    """(level, stage) of a module: the longest stage name it falls under."""
    best: tuple[int, int, str] | None = None
    for level, stages in enumerate(levels):
        for stage in stages:
            if module == stage or (stage and module.startswith(stage + ".")) or (not stage and module == ""):
                if best is None or len(stage) > best[1]:
                    best = (level, len(stage), stage)
    if best is None:
        raise LookupError(f"module {module!r} belongs to no stage of LEVELS: place it")
    return best[0], best[2]


def upward(edges: Iterable[tuple[str, str, int]], levels=LEVELS) -> list[str]:
    out = []
    for a, b, line in edges:
        (la, sa), (lb, sb) = stage_of(a, levels), stage_of(b, levels)
        if lb > la:
            out.append(f"{a}:{line} imports {b} ({sa or 'package'} at level {la} reaches up to {sb} at level {lb})")
    return out


def circles(edges: Iterable[tuple[str, str, int]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    graph: dict[str, set[str]] = {}
    for a, b, _ in edges:
        graph.setdefault(a, set()).add(b)
        graph.setdefault(b, set())
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                found.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def face_breaches(edges: Iterable[tuple[str, str, int]], faces=FACES, allowed=FACE_MAY_IMPORT) -> list[str]:
    out = []
    for a, b, line in edges:
        face = next((f for f in faces if a == f or a.startswith(f + ".")), None)
        if face is None:
            continue
        own = b == face or b.startswith(face + ".")
        if not own and b not in allowed and not any(b.startswith(x + ".") for x in allowed if x):
            out.append(f"{a}:{line} imports {b}: a face imports only {', '.join(x or '__version__' for x in allowed)}")
    return out


def test_every_module_belongs_to_a_stage():
    names = module_names(PACKAGE)  # stage_of raises LookupError for a module of no stage
    assert len(names) > 50 and all(0 <= stage_of(name)[0] < len(LEVELS) for name in names)


@pytest.fixture(scope="module")
def edges() -> tuple[tuple[str, str, int], ...]:
    """The package's import edges, parsed once for the three rules that read them (~1.4 s each)."""
    return tuple(imports(PACKAGE))


def test_no_module_imports_a_stage_above_its_own(edges):
    assert upward(edges) == []


def test_no_circle_between_modules(edges):
    assert circles(edges) == []


def test_the_faces_import_only_the_api_the_catalogue_and_their_own_modules(edges):
    assert face_breaches(edges) == []


# The checker itself must be able to fail: a tiny package that breaks each rule.

FAKE_LEVELS = (("base",), ("middle",), ("top",), ("face",))


def _fake(tmp_path: Path, files: dict[str, str]) -> Path:
    package = tmp_path / "fake"
    for name, text in {"__init__.py": "", **files}.items():
        (package / name).parent.mkdir(parents=True, exist_ok=True)
        (package / name).write_text(text, "utf-8")
    return package


def test_the_checker_flags_an_upward_import_even_one_deferred_into_a_function(tmp_path):
    package = _fake(
        tmp_path,
        {
            "base.py": "def f():\n    from .top import x  # deferred, still an edge\n",
            "middle/__init__.py": "",
            "middle/m.py": "from ..base import f\n",
            "top.py": "from .middle import m\nx = 1\n",
            "face.py": "from . import top\n",
        },
    )
    found = upward(imports(package), FAKE_LEVELS)
    assert found == ["base:2 imports top (base at level 0 reaches up to top at level 2)"]


def test_the_checker_flags_a_circle(tmp_path):
    package = _fake(
        tmp_path,
        {
            "base.py": "",
            "middle/__init__.py": "",
            "middle/a.py": "from .b import y\nx = 1\n",
            "middle/b.py": "y = 2\ndef g():\n    from .c import z\n",
            "middle/c.py": "from . import a\nz = 3\n",
            "top.py": "import fake.middle.a\n",
        },
    )
    edges = imports(package)
    assert ("top", "middle.a", 1) in edges  # an absolute import of the package counts too
    assert circles(edges) == [["middle.a", "middle.b", "middle.c"]]
    assert upward(edges, FAKE_LEVELS) == []


def test_the_checker_flags_a_face_that_imports_a_stage(tmp_path):
    package = _fake(tmp_path, {"api.py": "", "top.py": "", "face.py": "from . import api\nfrom .top import x\n"})
    found = face_breaches(imports(package), faces=("face",), allowed=("api",))
    assert found == ["face:2 imports top: a face imports only api"]


def test_a_module_outside_every_stage_is_named(tmp_path):
    with pytest.raises(LookupError, match="stray"):
        stage_of("stray", FAKE_LEVELS)
