"""The library face: the functions every front-end (the CLI, the web page) calls.

Front-ends parse their own input, call one of these, and show what comes back. Nothing here
prints or knows about click or HTTP; a fatal problem is a :class:`~yongji_xls.issues.YongjiError`
carrying the Chinese sentence to show, everything else is an Issue in the returned objects.
Heavy modules are imported inside the functions so that importing this module stays cheap.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .issues import Issue, YongjiError

if TYPE_CHECKING:
    from .model import Reference, Spec
    from .pipeline import Progress
    from .result import RunResult
    from .scorecard import Scorecard
    from .submission import Submission

__all__ = [
    "Written",
    "YongjiError",
    "check_dirs",
    "check_file",
    "load_references",
    "load_system",
    "run",
    "score_values",
    "write_outputs",
    "write_templates",
]


@dataclass
class Written:
    """What :func:`write_outputs` wrote: output name -> path, and the issues writing raised."""

    paths: dict[str, Path] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)  # seconds per writer (the benchmark prints them)


def load_system(system: str | Path | None = None) -> Spec:
    """The validated indicator system: the shipped one, or a folder of spec YAML."""
    from .spec_loader import SpecError, load_spec

    try:
        return load_spec(str(system) if system else None)
    except SpecError as e:
        raise YongjiError(str(e)) from e


def load_references(path: str | Path | None) -> tuple[Reference, ...]:
    """National reference figures from a ``--reference`` file (none when ``path`` is empty)."""
    if not path:
        return ()
    from .spec_loader import SpecError
    from .spec_loader import load_references as _load

    try:
        return _load(path)
    except SpecError as e:
        raise YongjiError(str(e)) from e


def check_dirs(in_dir: Path, out_dir: Path) -> None:
    """Refuse an input folder that does not exist and an output folder inside the input."""
    from .pipeline import check_dirs as _check

    try:
        _check(Path(in_dir), Path(out_dir))
    except ValueError as e:
        raise YongjiError(str(e)) from e


def run(
    in_dir: str | Path,
    *,
    spec: Spec | None = None,
    year: int | None = None,
    region: str | None = None,
    references: Iterable[Reference] = (),
    review: str | Path | None = None,
    progress: Progress | None = None,
) -> RunResult:
    """Read, check, merge and score every file in ``in_dir``; writes nothing."""
    from .pipeline import run as _run

    spec = spec or load_system()
    in_dir = Path(in_dir)
    if not in_dir.is_dir():
        raise YongjiError(f"输入文件夹「{in_dir}」不存在或不是文件夹")
    if review and not Path(review).is_file():
        raise YongjiError(f"核定文件「{review}」不存在")
    return _run(spec, in_dir, year, region, tuple(references), Path(review) if review else None, progress)


def write_outputs(result: RunResult, out_dir: str | Path) -> Written:
    """Write scores.json, the breakdown workbook, the Word report and the feedback set, as one
    set replacing the previous run's; a writer that fails is an Issue in ``Written.issues``."""
    from .pipeline import write_outputs as _write

    out_dir = Path(out_dir)
    try:
        paths = _write(result, out_dir)
    except PermissionError as e:
        raise YongjiError(f"无法写入「{e.filename or out_dir}」：文件可能正在Excel或WPS中打开。请关闭后重新运行（上次的输出未被改动）") from e
    except OSError as e:
        raise YongjiError(f"无法写入输出文件夹「{out_dir}」：{e.strerror or e}。请检查磁盘空间和权限") from e
    return Written(dict(paths), list(result.output_issues), dict(result.output_timings))


def check_file(path: str | Path, display: str | None = None, *, spec: Spec | None = None, year: int | None = None) -> Submission:
    """Pre-flight and read one returned file on its own (an upload, say); never raises."""
    from .pipeline import read_one

    spec = spec or load_system()
    p = Path(path)
    return read_one(spec, p, display or p.name, year or spec.default_year)


def score_values(
    values_path: str | Path,
    *,
    spec: Spec | None = None,
    references: Iterable[Reference] = (),
    year: int | None = None,
    region: str | None = None,
) -> tuple[Scorecard, list[Issue]]:
    """Score an already-merged values JSON file (``score --values``)."""
    from .scoring_io import InputError, score_values_file

    spec = spec or load_system()
    try:
        return score_values_file(spec, values_path, tuple(references), year, region)
    except InputError as e:
        raise YongjiError(str(e)) from e


def write_templates(
    out_dir: str | Path,
    *,
    spec: Spec | None = None,
    year: int | None = None,
    deadline: str | None = None,
    units: Sequence[str] = (),
    prefill: str | Path | None = None,
) -> list[Path]:
    """One fill-in workbook per unit (``units``: names or aliases; default every unit);
    ``prefill``: a previous run's output folder or scores.json whose known values are written
    into the templates (:mod:`yongji_xls.prefill`)."""
    from .normalise import parse_date
    from .spec_loader import resolver_of
    from .workbook.template_writer import write_templates as _write

    spec = spec or load_system()
    names = []
    for name in units:
        canonical = resolver_of(spec).canonical(name)
        if canonical is None:
            raise YongjiError(f"单位「{name}」不在单位名录中，请核对名称（可用 yongji-xls spec 查看各指标的责任单位）")
        names.append(canonical)
    when: Any = None
    if deadline:
        parsed = parse_date(deadline)
        if not parsed.ok or parsed.value is None:
            raise YongjiError(f"截止日期「{deadline}」无效，请按2025-03-31格式填写")
        when = parsed.value.isoformat()
    fills = None
    if prefill:
        from .prefill import PrefillError, fill_for, load_known
        from .shares import all_shares

        try:
            known = load_known(prefill)
        except PrefillError as e:
            raise YongjiError(str(e)) from e
        target = year or spec.default_year
        fills = {u: f for u in (names or all_shares(spec, target)) if (f := fill_for(spec, known, u, target)) is not None}
    try:
        return _write(spec, Path(out_dir), year or spec.default_year, when, names or None, fills)
    except KeyError as e:
        raise YongjiError(f"以下单位没有需要填报的内容，未生成模板：{e.args[0]}") from e
    except OSError as e:
        raise YongjiError(f"无法写入「{out_dir}」：{e.strerror or e}") from e
