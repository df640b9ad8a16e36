"""Regenerate ``sample_previous/scores.json``: the sample county's 2023 results, for ``demo``'s
year-on-year comparison (``run --previous``).

Nothing here is hand-edited JSON: every unit's 2023 template is written by the project's own
writer, filled by key as a unit would (2023 figures, fewer criteria done than in 2024: the
first year of a creation period), run through the tool like any folder, and only the run's
scores.json is kept — in its own folder, outside ``sample_workbooks/``, so the demo's input
gains no file (and no warning). Reproducible: fixed seed, fixed run time; only the digests of
the filled workbooks (``values.*.sha256``) change between regenerations, as openpyxl stamps the
time it saved them.

Run: ``python scripts/make_previous_year.py``.
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from yongji_xls import api  # noqa: E402
from yongji_xls.system.shares import UnitShare, all_shares  # noqa: E402
from yongji_xls.workbook import layout as L  # noqa: E402
from yongji_xls.workbook.write.filler import fill_workbook  # noqa: E402
from yongji_xls.workbook.write.template_writer import write_templates  # noqa: E402

YEAR = 2023
OUT = ROOT / "sample_previous"
RUN_AT = dt.datetime(2024, 1, 28, 10, 0, 0)
DONE_SHARE = 0.4  # a unit other than the lead answered 是 for this share of its criteria (2024: 0.55)
FIGURES: dict[str, Any] = {  # 2023's own figures: the series cover 2021..2023
    "online_retail@2021": 151200,
    "online_retail@2022": 168000,
    "online_retail@2023": 189500,
    "social_retail@2021": 1052000,
    "social_retail@2022": 1100000,
    "social_retail@2023": 1163000,
    "online_operators": 3180,
    "market_entities": 37100,
    "operators_2y": 1690,
    "express_volume@2021": 1700,
    "express_volume@2022": 1850,
    "express_volume@2023": 2270,
    "online_employment": 7900,
    "total_employment": 212000,
    "ecommerce_tax": 4300,
    "total_tax": 121000,
    "platform_users": 38,
    "regulatory_staff": 80,
    "claims_distributed": 1120,
    "claims_processed": 1098,
    "leads_total": 126,
    "leads_checked_on_time": 118,
    "assigned_total": 10,
    "assigned_handled_timely": 10,
    "assigned_completed": 9,
    "reconsideration_total": 2,
    "reconsideration_upheld": 2,
    "litigation_total": 0,
    "litigation_won": 0,
    "procedural_losses": 0,
    "monitoring_total": 380,
    "monitoring_checked_timely": 352,
    "monitoring_completed": 371,
    "complaints_total": 1410,
    "complaints_initial_on_time": 1398,
    "complaints_closed_on_time": 1371,
    "mediations_total": 790,
    "mediations_success": 652,
    "satisfaction_rate": 80.8,
    "odr_total": 41,
    "odr_closed_on_time": 40,
    "odr_settled": 33,
    "supervisors_total": 23,
    "supervisors_trained": 21,
    "min_training_hours": 44,
}
LISTS = {
    ("市统计局", "I04"): [
        {
            "企业名称": "永济市五老峰电子商务有限公司",
            "统一社会信用代码": "91140881MA0K5678Y2",
            "达标年度": 2023,
            "年度电子商务销售额（万元）": 8650,
        },
    ],
    ("市融媒体中心", "I33"): [
        {
            "报道标题": "永济电商进农村综合示范见闻",
            "媒体名称": "运城日报",
            "媒体级别": "其他",
            "报道日期": dt.datetime(2023, 10, 9),
            "链接": "",
        },
    ],
}


def unit_values(share: UnitShare, rng: random.Random) -> dict[str, Any]:
    """What this unit typed for 2023: the owners' figures, fewer criteria done than in 2024."""
    values: dict[str, Any] = {req.key: FIGURES[req.key] for req in share.fields}
    share_done = 0.8 if share.unit == "市市场监管局" else DONE_SHARE
    for c in share.criteria:
        done = rng.random() < share_done
        note = f"{share.unit}围绕“{c.text[:18]}”开展相关工作。" if done else ""
        material = f"{share.unit}{c.key}工作方案.pdf\n{share.unit}{c.key}工作台账.xlsx" if done else ""
        values[c.key] = {L.H_DONE: "是" if done else "否", L.H_NOTE: note, L.H_EVIDENCE: material}
    for ind in share.notes:
        values[f"{ind.key}.note"] = {L.H_NOTE: f"配合提供{ind.name}相关数据", L.H_EVIDENCE: "行业统计报表（2023年）"}
    for t in share.tasks:
        status = rng.choice(["推进中", "推进中", "未启动"])
        values[t.key] = {L.H_STATUS: status, L.H_PROGRESS: f"{t.title}：正在按计划推进。", L.H_PLAN: "按季度报送进展。"}
    for ls in share.lists:
        values[ls.key] = LISTS.get((share.unit, ls.key), [])
    return values


def main(out: Path = OUT) -> Path:
    spec = api.load_system()
    rng = random.Random(20240115)
    with tempfile.TemporaryDirectory() as tmp:
        filled = Path(tmp) / "报送"
        filled.mkdir()
        templates = write_templates(spec, Path(tmp) / "模板", YEAR, dt.date(2024, 1, 20))
        for n, (share, template) in enumerate(zip(all_shares(spec, YEAR).values(), templates)):
            contact = {"填报人": "王建国", "联系电话": f"0359-80{21000 + n * 37}", "填报日期": dt.datetime(2024, 1, 12)}
            fill_workbook(template, unit_values(share, rng), filled / template.name, contact=contact)
        result = api.run(filled, year=YEAR, now=RUN_AT)
        written = api.write_outputs(result, Path(tmp) / "结果")
        out.mkdir(exist_ok=True)
        for old in out.iterdir():
            old.unlink()
        target = out / "scores.json"
        shutil.copyfile(written.paths["scores"], target)
    print(f"{YEAR}年度示例结果：总分{api.show_figure(result.card.total)}分 → {target}")
    return target


if __name__ == "__main__":
    main()
