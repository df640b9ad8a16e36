"""``run``: collect every returned file, check, merge and score; writes nothing.

The stages in the order data flows: :mod:`.discover` finds the files (and unpacks ``.zip``),
:mod:`.read` pre-flights and reads each one, :mod:`.merge` merges them with provenance,
:mod:`yongji_xls.scoring.engine` scores. The result is a :class:`~yongji_xls.records.RunResult`
that every writer formats (:func:`yongji_xls.api.write_outputs`). One bad file never stops the
others: every failure becomes an Issue on that file, and its unit counts as not (validly) submitted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

from ..executor import Executor
from ..issues import Issue, Report, issue
from ..records import RunResult, Submission
from ..scoring.engine import apply_overrides, score
from ..system.model import Reference, Spec
from ..system.unit_names import unit_of_name
from ..values.relations import check_relations
from .merge import merge, refused_figures, unit_statuses, unreadable_figures
from .read import Progress, read_all


def collect(
    spec: Spec, in_dir: Path, year: int, progress: Progress | None = None, executor: Executor | None = None
) -> tuple[list[Submission], list[Issue]]:
    """Find and read every file of ``in_dir``: the submissions, and the issues about files not
    read (skipped, archives, zip members refused, a pool fallback). A large folder is read by the
    reading pool of ``executor``."""
    import tempfile

    from .discover import discover, expand

    found, skipped = discover(in_dir)
    with tempfile.TemporaryDirectory(prefix="yongji-zip-") as tmp:  # zip members live here while they are read
        files, zip_issues = expand(in_dir, found, Path(tmp))
        subs, read_issues = read_all(spec, files, year, progress, executor)
    csv_subs, skipped = _units_csv(spec, in_dir, skipped)
    return [*subs, *csv_subs], [*skipped, *zip_issues, *read_issues]


def _units_csv(spec: Spec, in_dir: Path, skipped: list[Issue]) -> tuple[list[Submission], list[Issue]]:
    """A .csv whose name names one unit is that unit's attempt to report (saved from its template):
    an unreadable submission with an error, so the unit is 需重报 with the fix, not 未报送; any
    other .csv keeps its warning."""
    subs, rest = [], []
    for found in skipped:
        if found.code == "file_csv" and unit_of_name(spec, found.file):
            subs.append(
                Submission(
                    found.file, in_dir / found.file, readable=False, issues=[issue("file_csv_unit", file=found.file)]
                )
            )
        else:
            rest.append(found)
    return subs, rest


def run(
    spec: Spec,
    in_dir: Path,
    year: int | None = None,
    region: str | None = None,
    references: Iterable[Reference] = (),
    review: Path | None = None,
    progress: Progress | None = None,
    now: dt.datetime | None = None,
    executor: Executor | None = None,
) -> RunResult:
    """Read, check, merge and score everything in ``in_dir``; writes nothing. ``now``: the run's
    time (default the clock), the only time the outputs show; ``executor``: the caller's, whose
    reading pool reads a large folder."""
    year = year or spec.default_year
    region = region or spec.default_region
    subs, skipped = collect(spec, in_dir, year, progress, executor)
    merged = merge(spec, subs)
    checked = check_relations(spec, merged.values, {m.key: m.source for m in merged.merged})
    if checked.withheld or checked.rows:  # a figure more likely wrong is not scored, nor offered for prefill
        merged.values = checked.without(merged.values)
        merged.merged = [m for m in merged.merged if m.key not in checked.withheld]
    by_file = {s.file: s for s in subs if s.used}
    for found in checked.issues:  # the file's own error: its unit is 需重报 and gets it in its feedback
        (by_file[found.file].issues if found.file in by_file else merged.issues).append(found)
    refused = refused_figures(spec, merged.used, merged.values, checked.withheld)
    refused |= unreadable_figures(spec, year, subs, merged)
    computed = score(spec, merged.values, year, region, references, merged.substituted, refused)
    card = computed
    report = Report()
    report.extend(skipped)
    for s in subs:
        report.extend(s.issues)
    report.extend(merged.issues)
    texts: dict[str, str] = {}
    if review is not None:
        from ..workbook.read.review import read_review_file

        overrides, texts, review_issues = read_review_file(spec, review)
        report.extend(review_issues)
        if overrides:
            card = apply_overrides(spec, computed, overrides)
    units, unit_issues = unit_statuses(spec, year, subs, merged.used, computed)
    report.extend(unit_issues)
    for c in computed.pending_review:
        report.add(issue("reference_missing", key=c.key, reference=c.figures.get("reference", "")))
    return RunResult(
        spec=spec,
        year=year,
        region=region,
        card=card,
        computed=computed,
        values=merged.values,
        merged=merged.merged,
        answers=merged.answers,
        lists=merged.lists,
        tasks=merged.tasks,
        conflicts=merged.conflicts,
        units=units,
        submissions=subs,
        report=report,
        input_dir=in_dir,
        generated_at=(now or dt.datetime.now()).isoformat(timespec="seconds"),
        report_texts=texts,
    )
