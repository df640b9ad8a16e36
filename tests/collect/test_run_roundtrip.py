"""Generate templates → fill every unit as it would → run → the merged values are what was
typed, and the scores equal `score --values` on the same values."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
import shutil
from decimal import Decimal

import pytest
from click.testing import CliRunner
from helpers import CONTACT, expected_number, fill_workbook, random_values

from yongji_xls.cli import main
from yongji_xls.collect.run import run
from yongji_xls.system.shares import all_shares
from yongji_xls.workbook import layout as L

YEAR = 2024


def _unique_lists(values: dict, unit: str) -> None:
    """Make list identities unit-specific so cross-unit de-duplication is deterministic."""
    for rows in (v for v in values.values() if isinstance(v, list)):
        for row in rows:
            for col in ("企业名称", "认可事项", "报道标题", "成果名称", "文号或标准号", "统一社会信用代码"):
                if col in row:
                    row[col] = f"{unit}-{row[col]}"


def _as_json_value(v):
    if isinstance(v, dt.datetime):
        return v.date().isoformat()
    return v


@pytest.fixture(scope="module")
def filled(tmp_path_factory, spec, templates):
    """All units filled with seeded random values, renamed, some with inserted/reordered rows."""
    in_dir = tmp_path_factory.mktemp("returned")
    typed: dict[str, dict] = {}
    rng = random.Random(42)
    for n, (unit, share) in enumerate(all_shares(spec, YEAR).items()):
        values = random_values(spec, share, seed=n, list_rows=2)
        _unique_lists(values, unit)
        typed[unit] = values
        name = f"返回_{n:02d}_{rng.randint(1000, 9999)}.xlsx"  # file names say nothing about the unit
        fill_workbook(
            templates[unit], values, in_dir / name, contact=CONTACT, insert_above=n % 3, reorder=n % 2 == 0, seed=n
        )
    return in_dir, typed


def _expected_values(spec, typed):
    """What the merge must produce: owners' figures (cross-check figures only where no owner)."""
    out = {}
    for f in spec.fields:
        for key in f.keys(YEAR):
            if key in typed.get(f.owner, {}):
                out[key] = expected_number(typed[f.owner][key])
    return out


def _digests(folder) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()}


@pytest.fixture(scope="module")
def merged(spec, filled):
    """One run of the filled folder for the tests that only read its result (the digests of the
    input files before and after it)."""
    in_dir, _ = filled
    before = _digests(in_dir)
    result = run(spec, in_dir, YEAR)
    return result, before, _digests(in_dir)


@pytest.fixture(scope="module")
def serial(spec, filled):
    """The filled folder read in this process, for the tests that compare a pool's reading with it."""
    from yongji_xls.collect.run import collect

    return collect(spec, filled[0], YEAR)


def test_merged_values_equal_what_was_typed(spec, filled, merged):
    in_dir, typed = filled
    result, before, after = merged
    assert after == before
    numbers = {k: v for k, v in result.values.items() if isinstance(v, Decimal)}
    assert numbers == _expected_values(spec, typed)
    assert all(u.state == "已报送" for u in result.units), [u for u in result.units if u.state != "已报送"]
    prov = {m.key: m for m in result.merged}
    for key in numbers:
        owner = spec.field(key).owner
        assert prov[key].unit == owner and prov[key].source.unit == owner and prov[key].source.cell
    # conflicts: exactly the cross-check figures that differ from the owner's
    expected_conflicts = {
        (key, unit)
        for f in spec.fields
        for unit in f.cross_check
        for key in f.keys(YEAR)
        if key in typed.get(unit, {})
        and key in typed.get(f.owner, {})
        and expected_number(typed[unit][key]) != expected_number(typed[f.owner][key])
    }
    assert {(c.key, c.other) for c in result.conflicts} == expected_conflicts and expected_conflicts
    # every unit's evidence answer is kept
    for c in (c for i in spec.indicators for c in i.criteria if c.kind == "evidence"):
        units = [a.unit for a in result.answers.get(c.key, [])]
        assert sorted(units) == sorted(u for u in typed if c.key in typed[u])
    errors = [i for i in result.report if i.severity == "error"]
    assert errors == []


def test_scores_equal_score_values(spec, filled, merged, tmp_path):
    in_dir, typed = filled
    result = merged[0]
    values = {k: str(v) for k, v in _expected_values(spec, typed).items()}
    for unit, tv in typed.items():
        for key, v in tv.items():
            if isinstance(v, dict) and L.H_DONE in v:
                values.setdefault(key, []).append(
                    {
                        "done": v[L.H_DONE] == "是",
                        "note": v[L.H_NOTE],
                        "evidence": v[L.H_EVIDENCE].split("\n"),
                        "unit": unit,
                    }
                )
            elif isinstance(v, list):
                values.setdefault(key, []).extend({c: _as_json_value(x) for c, x in row.items()} for row in v)
    f = tmp_path / "values.json"
    f.write_text(json.dumps({"year": YEAR, "region": "中部", "values": values}, ensure_ascii=False), "utf-8")
    out = tmp_path / "scores.json"
    r = CliRunner().invoke(main, ["score", "--values", str(f), "--out", str(out)])
    assert r.exit_code == 0, r.output
    doc = json.loads(out.read_text("utf-8"))
    assert doc["total"] == float(result.card.total) or doc["total"] == int(result.card.total)
    got = {i["key"]: (i["score"], i["status"]) for i in doc["indicators"]}
    want = {
        i.key: (float(i.score) if i.score.denominator != 1 else int(i.score), i.status) for i in result.card.indicators
    }
    assert got == want


def test_unit_identified_by_meta_not_name(spec, templates, tmp_path):
    in_dir = tmp_path / "in"
    in_dir.mkdir()
    fill_workbook(
        templates["市税务局"], {"total_tax": 1000, "ecommerce_tax": 60}, in_dir / "市统计局.xlsx", contact=CONTACT
    )
    result = run(spec, in_dir, YEAR)
    assert result.values["total_tax"] == Decimal(1000)
    # the name disagrees with the template (tester defect D5): a conflict both units must settle
    assert result.unit_status("市税务局").state == "需重报" and result.unit_status("市统计局").state == "需重报"
    assert [i.code for i in result.report if i.code == "file_name_other_unit"] == ["file_name_other_unit"]
    assert result.card.indicator("I08").score == 2


def test_duplicate_and_missing_units(spec, templates, tmp_path):
    in_dir = tmp_path / "in"
    in_dir.mkdir()
    older = dict(CONTACT, 填报日期=dt.datetime(2025, 1, 5))
    fill_workbook(templates["市税务局"], {"total_tax": 1000, "ecommerce_tax": 20}, in_dir / "a.xlsx", contact=older)
    fill_workbook(templates["市税务局"], {"total_tax": 1000, "ecommerce_tax": 60}, in_dir / "b.xlsx", contact=CONTACT)
    shutil.copyfile(in_dir / "b.xlsx", in_dir / "b - 副本.xlsx")
    result = run(spec, in_dir, YEAR)
    assert result.values["ecommerce_tax"] == Decimal(60)
    codes = {(i.code, i.file) for i in result.report}
    assert ("duplicate_submission", "a.xlsx") in codes
    assert any(c == "duplicate_same_content" for c, _ in codes)
    stat = result.unit_status("市邮政分公司")
    assert stat.state == "未报送" and stat.points_at_stake == 2 and {"I05@2023", "I05@2024"} <= set(stat.items_at_stake)
    assert any(
        i.code == "unit_not_submitted" and i.unit == "市邮政分公司" and "2分" in i.message for i in result.report
    )


def test_process_pool_reads_the_same(spec, filled, serial):
    from yongji_xls.collect.run import collect
    from yongji_xls.executor import Executor

    in_dir, _ = filled
    serial, _ = serial
    with Executor(read_workers=2) as executor:
        pooled, _ = collect(spec, in_dir, YEAR, executor=executor)
    assert [(s.file, s.unit, {k: e.value for k, e in s.values.items()}, s.issues) for s in serial] == [
        (s.file, s.unit, {k: e.value for k, e in s.values.items()}, s.issues) for s in pooled
    ]


def _failing_worker(args):
    """A pool entry that fails inside the worker process (top level, so spawn can import it)."""
    raise RuntimeError("worker failed")


def test_broken_pool_falls_back_to_serial_reading(spec, filled, serial, monkeypatch):
    import yongji_xls.collect.read as reading
    from yongji_xls.collect.run import collect
    from yongji_xls.executor import Executor

    in_dir, _ = filled
    monkeypatch.setattr(reading, "_worker_read", _failing_worker)  # every worker fails
    with Executor(read_workers=2) as executor:
        subs, skipped = collect(spec, in_dir, YEAR, executor=executor)
    serial, _ = serial
    assert [s.file for s in subs] == [s.file for s in serial] and all(s.unit for s in subs)
    assert [i.code for i in skipped] == ["pool_fallback"] and skipped[0].severity == "info"
