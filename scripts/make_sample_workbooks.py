"""Regenerate ``sample_workbooks/``: filled workbooks of every unit for the demo.

Reproducible (fixed content, fixed dates): templates from the project's own writer, filled by key
as a unit would, with plausible Yongji figures, the texts of ``scripts/sample_content.yaml`` (what
each unit writes as 工作情况说明, 佐证材料 and task progress, and why it answers 否) and the usual
real-life faults:

* one unit missing (市委网信办 sends nothing);
* one conflict (市工科局（市商务局） reports a different 2024 online retail figure);
* one claim without material (市发改局 answers I30.1 是 but lists no 佐证材料);
* one unit answering 否 with its reason (市市场监管局, I11.3: 「正在对接省级平台接口」);
* one number typed as text (市税务局 types the e-commerce tax as the text "5,200");
* one file re-saved as .xls by LibreOffice (市邮政分公司);
* files renamed the way units rename them.

Run: ``python scripts/make_sample_workbooks.py`` (needs LibreOffice's ``soffice`` for the .xls).
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from yongji_xls.system.load import load_spec  # noqa: E402
from yongji_xls.system.shares import UnitShare, all_shares  # noqa: E402
from yongji_xls.workbook import layout as L  # noqa: E402
from yongji_xls.workbook.write.filler import fill_workbook  # noqa: E402
from yongji_xls.workbook.write.template_writer import write_templates  # noqa: E402

YEAR = 2024
MISSING = "市委网信办"
XLS_UNIT = "市邮政分公司"
FIGURES: dict[str, Any] = {
    "online_retail@2022": 168000,
    "online_retail@2023": 189500,
    "online_retail@2024": 201800,
    "social_retail@2022": 1100000,
    "social_retail@2023": 1163000,
    "social_retail@2024": 1215000,
    "online_operators": 3650,
    "market_entities": 38200,
    "operators_2y": 2010,
    "express_volume@2022": 1850,
    "express_volume@2023": 2270,
    "express_volume@2024": 2790,
    "online_employment": 8600,
    "total_employment": 215000,
    "ecommerce_tax": 5200,
    "total_tax": 128000,
    "platform_users": 46,
    "regulatory_staff": 82,
    "claims_distributed": 1260,
    "claims_processed": 1260,
    "leads_total": 138,
    "leads_checked_on_time": 134,
    "assigned_total": 12,
    "assigned_handled_timely": 12,
    "assigned_completed": 11,
    "reconsideration_total": 3,
    "reconsideration_upheld": 3,
    "litigation_total": 1,
    "litigation_won": 1,
    "procedural_losses": 0,
    "monitoring_total": 420,
    "monitoring_checked_timely": 401,
    "monitoring_completed": 415,
    "complaints_total": 1530,
    "complaints_initial_on_time": 1521,
    "complaints_closed_on_time": 1502,
    "mediations_total": 860,
    "mediations_success": 731,
    "satisfaction_rate": 82.6,
    "odr_total": 64,
    "odr_closed_on_time": 63,
    "odr_settled": 55,
    "supervisors_total": 24,
    "supervisors_trained": 24,
    "min_training_hours": 52,
}
# what the cross-checking units type (a conflict on online_retail@2024)
CROSS_FIGURES = {"online_retail@2024": 203000}
TEXT_NUMBER = ("市税务局", "ecommerce_tax", "5,200")
NO_MATERIAL = ("市发改局", "I30.1")
DECLINED = ("市市场监管局", "I11.3", "正在对接省级平台接口")  # a 否 with its reason
RENAMED = {
    "市统计局": "统计局-2024年度数据（终稿）.xlsx",
    "市市场监管局": "市场监管局填报表_最终版.xlsx",
    "城西街道": "城西街道办 示范区填报.xlsx",
}
LISTS = {
    ("市统计局", "I04"): [
        {
            "企业名称": "山西永济蒲韵农业科技有限公司",
            "统一社会信用代码": "91140881MA0K1234X1",
            "达标年度": 2024,
            "年度电子商务销售额（万元）": 12680,
        },
        {
            "企业名称": "永济市五老峰电子商务有限公司",
            "统一社会信用代码": "91140881MA0K5678Y2",
            "达标年度": 2023,
            "年度电子商务销售额（万元）": 8650,
        },
    ],
    ("市工科局（市商务局）", "I04"): [
        {
            "企业名称": "山西永济蒲韵农业科技有限公司",
            "统一社会信用代码": "91140881MA0K1234X1",
            "达标年度": 2024,
            "年度电子商务销售额（万元）": 12680,
        },
    ],
    ("市市场监管局", "I32"): [
        {
            "认可事项": "网络交易监管“以网管网”做法",
            "认可形式": "信息刊发",
            "认可机关": "山西省市场监督管理局",
            "级别": "省级",
            "日期": dt.datetime(2024, 9, 12),
        },
    ],
    ("市融媒体中心", "I33"): [
        {
            "报道标题": "永济：直播电商助农增收",
            "媒体名称": "山西日报",
            "媒体级别": "省部级",
            "报道日期": dt.datetime(2024, 7, 3),
            "链接": "https://example.cn/sxrb/2024/0703",
        },
        {
            "报道标题": "永济网络市场监管工作纪实",
            "媒体名称": "运城日报",
            "媒体级别": "其他",
            "报道日期": dt.datetime(2024, 11, 20),
            "链接": "",
        },
    ],
    ("市市场监管局", "I34"): [
        {
            "成果名称": "永济市网络交易经营者合规指引",
            "类别": "规范性文件",
            "文号或标准号": "永市监发〔2024〕18号",
            "发布日期": dt.datetime(2024, 5, 20),
        },
    ],
}
CONTENT = ROOT / "scripts" / "sample_content.yaml"
NAMES = ["王建国", "李晓红", "张伟", "刘洋", "陈静", "杨帆", "赵磊", "孙丽", "周强", "吴敏", "郑华", "冯涛"]


def unit_values(share: UnitShare, rng: random.Random, faults: bool = True) -> dict[str, Any]:
    """What this unit types: owners give the figures, most criteria 是 with material.

    ``faults=False`` gives a clean submission (no conflict, no text number, no missing
    material): the benchmark uses it."""
    values: dict[str, Any] = {}
    for req in share.fields:
        v = FIGURES[req.key]
        values[req.key] = CROSS_FIGURES.get(req.key, v) if req.role == "cross_check" and faults else v
    lead = share.unit == "市市场监管局"
    for c in share.criteria:
        done = lead or rng.random() < 0.55
        if c.indicator in ("I27", "I28") and not lead:
            done = False
        if done:
            values[c.key] = {
                L.H_DONE: "是",
                L.H_NOTE: f"{share.unit}围绕“{c.text[:18]}”开展相关工作，已形成制度并落实。",
                L.H_EVIDENCE: f"{share.unit}{c.key}工作方案.pdf\n{share.unit}{c.key}工作台账.xlsx",
            }
        else:
            values[c.key] = {L.H_DONE: "否", L.H_NOTE: "", L.H_EVIDENCE: ""}
    if lead:
        for key in ("I11.3", "I23.1"):
            if key in values:
                values[key] = {L.H_DONE: "否", L.H_NOTE: "正在对接省级平台接口", L.H_EVIDENCE: ""}
    for ind in share.notes:
        values[f"{ind.key}.note"] = {L.H_NOTE: f"配合提供{ind.name}相关数据", L.H_EVIDENCE: "行业统计报表（2024年）"}
    for t in share.tasks:
        status = rng.choice(["已完成", "推进中", "推进中", "未启动"] if not lead else ["已完成", "推进中"])
        values[t.key] = {
            L.H_STATUS: status,
            L.H_PROGRESS: f"{t.title}：{'已按方案完成' if status == '已完成' else '正在按计划推进'}。",
            L.H_PLAN: "持续跟进，按季度报送进展。",
        }
    for ls in share.lists:
        values[ls.key] = LISTS.get((share.unit, ls.key), [])
    if not faults:
        return values
    if share.unit == TEXT_NUMBER[0]:
        values[TEXT_NUMBER[1]] = TEXT_NUMBER[2]
    if share.unit == NO_MATERIAL[0] and NO_MATERIAL[1] in values:
        values[NO_MATERIAL[1]] = {L.H_DONE: "是", L.H_NOTE: "出台电商扶持政策，开展政企数据共享。", L.H_EVIDENCE: ""}
    return values


def to_xls(path: Path) -> Path:
    with tempfile.TemporaryDirectory() as profile, tempfile.TemporaryDirectory() as outdir:
        subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--convert-to",
                "xls",
                "--outdir",
                outdir,
                str(path),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
        produced = Path(outdir) / (path.stem + ".xls")
        target = path.with_suffix(".xls")
        shutil.copyfile(produced, target)
    path.unlink()
    return target


def _filled_set(out: Path, year: int, seed: int, faults: Any = None) -> list[Path]:
    """Every unit's template filled with plausible figures; ``faults(n, share, values, contact)``
    may change a unit's values in place and returns the contact block to write."""
    spec = load_spec()
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    with tempfile.TemporaryDirectory() as tmp:
        templates = write_templates(spec, tmp, year, dt.date(2025, 1, 25))
        for n, (share, template) in enumerate(zip(all_shares(spec, year).values(), templates)):
            contact = {
                "填报人": NAMES[n % len(NAMES)],
                "联系电话": f"0359-80{21000 + n * 37}",
                "分管领导": NAMES[(n + 5) % len(NAMES)],
                "填报日期": dt.datetime(2025, 1, 10 + n % 12),
            }
            values = unit_values(share, rng, faults=False)
            if faults is not None:
                contact = faults(n, share, values, contact)
            paths.append(fill_workbook(template, values, out / template.name, contact=contact))
    return paths


def write_clean(out: Path, year: int = YEAR) -> list[Path]:
    """Clean filled workbooks of every unit (no faults), for the benchmark."""
    return _filled_set(out, year, 7)


MESSY_ERRORS = {
    "市市场监管局": ("count", "约3000"),
    "市人社局": ("count", -12),
    "市公安局": ("done", "完成了"),
}  # unit -> the error typed


def _messy_faults(n: int, share: UnitShare, values: dict[str, Any], contact: dict[str, Any]) -> dict[str, Any]:
    """The first-round faults of unit ``n``: the first 28 units get at least one warning (a
    number typed as text where the unit has figures, else 是 without material; every third also
    leaves out its contact line), three of them an error as well; the last 10 are clean."""
    if n >= 28:
        return contact
    yes = [c.key for c in share.criteria if isinstance(values.get(c.key), dict) and values[c.key].get(L.H_DONE) == "是"]
    target = yes[0] if yes else (share.criteria[0].key if share.criteria else None)
    numbers = [r.key for r in share.fields if isinstance(values.get(r.key), (int, float))]
    if numbers:
        values[numbers[0]] = f"{values[numbers[0]]:,}"  # typed as text: 「38,200」
    elif target:
        values[target] = {L.H_DONE: "是", L.H_NOTE: f"{share.unit}已开展相关工作。", L.H_EVIDENCE: ""}
    if share.unit in MESSY_ERRORS:
        what, typed = MESSY_ERRORS[share.unit]
        counts = [r.key for r in share.fields if r.field.kind == "count"]
        if what == "count" and counts:
            values[counts[-1]] = typed
        elif share.criteria:
            values[share.criteria[-1].key] = {
                L.H_DONE: typed if what == "done" else "是否",
                L.H_NOTE: "见说明",
                L.H_EVIDENCE: "台账.xlsx",
            }
    if n % 3 == 2:
        return {k: v for k, v in contact.items() if k not in ("填报人", "联系电话")}
    return contact


def write_messy(out: Path, year: int = YEAR) -> list[Path]:
    """The first-round folder an office really gets, for the benchmark: every unit's template
    filled with plausible figures, 28 units with warnings (3 of them with errors as well)."""
    return _filled_set(out, year, 11, _messy_faults)


def content_values(share: UnitShare, content: dict[str, Any]) -> dict[str, Any]:
    """What this unit types, from the content file: a 是 answer with its 说明 and materials, a 否
    with its reason in 工作情况说明, its notes and task rows; figures and lists as ``unit_values``.
    A criterion or task of the unit that the file does not decide is an error (the file is
    written for this indicator system and must cover it)."""
    unit = share.unit
    yes = content["criteria"].get(unit, {})
    no = content["not_done"].get(unit, {})
    values: dict[str, Any] = {}
    for req in share.fields:
        v = FIGURES[req.key]
        values[req.key] = CROSS_FIGURES.get(req.key, v) if req.role == "cross_check" else v
    for c in share.criteria:
        if c.key in yes:
            answer = yes[c.key]
            values[c.key] = {L.H_DONE: "是", L.H_NOTE: answer["note"], L.H_EVIDENCE: "\n".join(answer["evidence"])}
        elif c.key in no:
            values[c.key] = {L.H_DONE: "否", L.H_NOTE: no[c.key], L.H_EVIDENCE: ""}
        else:
            raise SystemExit(f"{CONTENT.name}：{unit}的{c.key}既不在criteria也不在not_done中")
    notes = content["notes"].get(unit, {})
    for ind in share.notes:
        note = notes[f"{ind.key}.note"]
        values[f"{ind.key}.note"] = {L.H_NOTE: note["note"], L.H_EVIDENCE: "\n".join(note["evidence"])}
    tasks = content["tasks"].get(unit, {})
    for t in share.tasks:
        row = tasks[t.key]
        values[t.key] = {L.H_STATUS: row["status"], L.H_PROGRESS: row["progress"], L.H_PLAN: row["plan"]}
    for ls in share.lists:
        values[ls.key] = LISTS.get((unit, ls.key), [])
    if unit == TEXT_NUMBER[0]:
        values[TEXT_NUMBER[1]] = TEXT_NUMBER[2]
    faults = {NO_MATERIAL: ("是", ""), DECLINED[:2]: ("否", DECLINED[2])}
    for (who, key), (done, evidence_or_reason) in faults.items():
        if unit == who:
            typed = values[key]
            field = L.H_EVIDENCE if done == "是" else L.H_NOTE
            if typed[L.H_DONE] != done or typed[field] != evidence_or_reason:
                raise SystemExit(f"{CONTENT.name}：{who}的{key}应保留示例中的故意错误（{done}）")
    return values


def main(out: Path = ROOT / "sample_workbooks") -> None:
    spec = load_spec()
    content = yaml.safe_load(CONTENT.read_text(encoding="utf-8"))
    shares = all_shares(spec, YEAR)
    with tempfile.TemporaryDirectory() as tmp:
        templates = {p.name: p for p in write_templates(spec, tmp, YEAR, dt.date(2025, 1, 25))}
        if out.exists():
            shutil.rmtree(out)
        out.mkdir(parents=True)
        for n, (unit, share) in enumerate(shares.items()):
            if unit == MISSING:
                continue
            template = next(p for name, p in templates.items() if f"_{unit}_" in name)
            target = out / RENAMED.get(unit, template.name)
            contact = {
                "填报人": NAMES[n % len(NAMES)],
                "联系电话": f"0359-80{21000 + n * 37}",
                "分管领导": NAMES[(n + 5) % len(NAMES)],
                "填报日期": dt.datetime(2025, 1, 10 + n % 12),
            }
            fill_workbook(template, content_values(share, content), target, contact=contact)
            if unit == XLS_UNIT:
                to_xls(target)
    print(f"已生成示例工作簿{len(list(out.iterdir()))}个：{out}")


if __name__ == "__main__":
    main()
