"""A realistic :class:`RunResult` built from a values dict, without any Excel.

The output writers (breakdown workbook, Word report) only format a RunResult, so their tests need
one that looks like a real run: scores from :func:`yongji_xls.scoring.engine.score`, every unit of the
registry with a submission state (some 未报送/需重报/无效), conflicts, merged values with
provenance, issues of every severity, task progress and evidence answers. Some user texts start
with ``=``, ``+``, ``-`` or ``@`` on purpose: the writers must keep them as plain strings.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from yongji_xls.issues import Report, issue
from yongji_xls.records import Conflict, MergedValue, RunResult, Submission, TaskProgress, UnitStatus
from yongji_xls.scoring.engine import apply_overrides, score
from yongji_xls.system.load import load_spec
from yongji_xls.system.model import Spec
from yongji_xls.system.shares import unit_share
from yongji_xls.values.types import Answer, ListRow, Source

YEAR = 2024
NOT_SUBMITTED = ("市委组织部", "联通永济分公司", "张营镇")
RESUBMIT = ("市人社局", "蒲州镇")
INVALID = ("市融媒体中心",)
FORMULA_TEXT = "=SUM(E5:E9)"  # typed by a unit into a number cell; must never become a formula
_SPEC: Spec | None = None


def spec() -> Spec:
    """The shipped indicator system, loaded once per test session."""
    global _SPEC
    if _SPEC is None:
        _SPEC = load_spec()
    return _SPEC


def file_of(unit: str) -> str:
    return f"{spec().unit(unit).no:02d}_{unit}_填报表.xlsx"


def src(unit: str, sheet: str, cell: str) -> Source:
    return Source(file_of(unit), sheet, cell, unit)


def scalar_values() -> dict[str, Any]:
    """Yongji-sized figures that lose points on I03, I06–I08 (bands/shares) and pass the rates."""
    return {
        "online_retail@2022": 158000,
        "online_retail@2023": 181000,
        "online_retail@2024": 199500,
        "social_retail@2022": 960000,
        "social_retail@2023": 1010000,
        "social_retail@2024": 1052000,
        "online_operators": 2150,
        "market_entities": 24800,
        "operators_2y": 1310,
        "express_volume@2022": 1650,
        "express_volume@2023": 2010,
        "express_volume@2024": 2480,
        "online_employment": 3900,
        "total_employment": 102000,
        "ecommerce_tax": 420,
        "total_tax": 11800,
        "platform_users": 58,
        "regulatory_staff": 96,
        "claims_distributed": 312,
        "claims_processed": 312,
        "leads_total": 88,
        "leads_checked_on_time": 86,
        "assigned_total": 12,
        "assigned_handled_timely": 12,
        "assigned_completed": 12,
        "reconsideration_total": 4,
        "reconsideration_upheld": 4,
        "litigation_total": 1,
        "litigation_won": 1,
        "procedural_losses": 0,
        "monitoring_total": 652,
        "monitoring_checked_timely": 640,
        "monitoring_completed": 650,
        "complaints_total": 1260,
        "complaints_initial_on_time": 1248,
        "complaints_closed_on_time": 1230,
        "mediations_total": 410,
        "mediations_success": 352,
        "satisfaction_rate": Decimal("82.5"),
        "odr_total": 36,
        "odr_closed_on_time": 35,
        "odr_settled": 30,
        "supervisors_total": 24,
        "supervisors_trained": 24,
        "min_training_hours": 52,
    }


def list_values() -> dict[str, list[ListRow]]:
    """One qualifying enterprise (I04: 1 of 2), a 省级 recognition, a 省部级 report, one standard."""
    rows = {
        "I04": [
            (
                {
                    "企业名称": "永济市蒲韵电子商务有限公司",
                    "统一社会信用代码": "91140881MA0K1234X1",
                    "达标年度": 2023,
                    "年度电子商务销售额（万元）": Decimal("12600"),
                },
                "市统计局",
            )
        ],
        "I32": [
            (
                {
                    "认可事项": "“直播+监管”服务站经验做法",
                    "认可形式": "典型经验",
                    "认可机关": "山西省市场监督管理局",
                    "级别": "省级",
                    "日期": "2024-05-20",
                },
                "市市场监管局",
            )
        ],
        "I33": [
            (
                {
                    "报道标题": "永济：网络市场监管护航直播电商",
                    "媒体名称": "山西日报",
                    "媒体级别": "省部级",
                    "报道日期": "2024-08-02",
                    "链接": "-",
                },
                "市融媒体中心",
            )
        ],
        "I34": [
            (
                {
                    "成果名称": "永济市网络交易经营者合规指引",
                    "类别": "规范性文件",
                    "文号或标准号": "永市监发〔2024〕18号",
                    "发布日期": "2024-03-12",
                },
                "市市场监管局",
            )
        ],
    }
    return {
        k: [ListRow(cells, unit, src(unit, f"清单{k}", f"B{n + 5}")) for n, (cells, unit) in enumerate(v)]
        for k, v in rows.items()
    }


def _answer(
    unit: str, key: str, n: int, done: bool | None = True, note: str = "", evidence: tuple[str, ...] | None = None
) -> Answer:
    note = note or f"已按要求完成{key}相关工作，建立台账并定期通报"
    if evidence is None:
        evidence = (f"{key}工作方案.pdf", f"{key}工作台账.xlsx")
    return Answer(done, note, evidence, unit, src(unit, "评分要点", f"E{n + 4}"))


def answers(sp: Spec) -> dict[str, list[Answer]]:
    """The lead unit answers every evidence criterion; a few answers lose points on purpose."""
    out: dict[str, list[Answer]] = {}
    n = 0
    for ind in sp.indicators:
        for c in ind.criteria:
            if c.kind != "evidence":
                continue
            n += 1
            lead = ind.lead if ind.lead not in NOT_SUBMITTED + INVALID else "市市场监管局"
            if c.key == "I36.2":
                continue  # nobody answered: 数据缺失
            if c.key == "I12.3":
                out[c.key] = [_answer(lead, c.key, n, evidence=())]  # 是 without material: 缺少佐证
            elif c.key == "I29.2":
                out[c.key] = [_answer(lead, c.key, n, done=False, note="本年度未开展", evidence=())]
            elif c.key == "I41.2":
                out[c.key] = [
                    _answer(
                        lead,
                        c.key,
                        n,
                        note="=开展宣传报道12次",
                        evidence=('=HYPERLINK("http://example.cn","报道")', "+普法活动照片.zip"),
                    )
                ]
            else:
                out[c.key] = [_answer(lead, c.key, n)]
            helper = next((u for u in ind.units if u != lead and u not in NOT_SUBMITTED + INVALID), None)
            if helper and c.key in out and n % 4 == 0:
                out[c.key].append(_answer(helper, c.key, n, note=f"配合完成{c.key}相关工作"))
    return out


def merged_values(sp: Spec, values: Mapping[str, Any]) -> list[MergedValue]:
    out = []
    for row, (key, value) in enumerate(sorted(values.items()), 5):
        f = sp.field(key)
        year = key.partition("@")[2]
        label = f"{f.label}（{year}年）" if year else f.label
        out.append(MergedValue(key, label, value, f.owner, src(f.owner, "数据填报", f"E{row}"), f.unit))
    return out


def conflicts(merged: list[MergedValue]) -> list[Conflict]:
    by_key = {m.key: m for m in merged}
    a, b = by_key["online_operators"], by_key["complaints_total"]
    return [
        Conflict(
            a.key,
            a.label,
            a.unit,
            a.value,
            a.source,
            "市审批服务管理局",
            2203,
            src("市审批服务管理局", "数据填报", "E7"),
        ),
        Conflict(
            b.key, b.label, b.unit, b.value, b.source, "市消费者协会", 1198, src("市消费者协会", "数据填报", "E9")
        ),
    ]


def tasks(sp: Spec, submitted: set[str]) -> dict[str, list[TaskProgress]]:
    states = ("已完成", "推进中", "推进中", "未启动")
    out: dict[str, list[TaskProgress]] = {}
    for t in sp.tasks:
        rows = []
        for i, unit in enumerate(u for u in t.units if u in submitted):
            status = states[(t.no + i) % len(states)]
            progress = f"{t.title}：已召开专题会议，明确责任分工" if status != "未启动" else ""
            if t.no == 3 and i == 0:
                progress = "+线上线下融合项目3个已投运"
            rows.append(
                TaskProgress(
                    t.key, status, progress, "持续推进，按季度报送进展", unit, src(unit, "重点任务", f"D{t.no + 4}")
                )
            )
        out[t.key] = rows
    return out


def unit_statuses(sp: Spec, card: Any) -> list[UnitStatus]:
    """Every registry unit with a state; 未报送 units carry the points of their missing items."""
    missing = {c.key: c for c in card.criteria() if c.status == "missing"}
    out = []
    for u in sp.units:
        share = unit_share(sp, u.name, YEAR)
        state = (
            "未报送"
            if u.name in NOT_SUBMITTED
            else "需重报"
            if u.name in RESUBMIT
            else "无效"
            if u.name in INVALID
            else "已报送"
        )
        st = UnitStatus(u.name, u.no, state, rows_asked=share.rows_asked)
        if state != "未报送":
            st.files = [file_of(u.name)]
            st.used_file = file_of(u.name) if state != "无效" else ""
            st.contact = {
                "填报人": "@张伟" if u.no == 14 else f"联络员{u.no}",
                "联系电话": f"0359-80{u.no:05d}",
                "填报日期": f"2025-06-{1 + u.no % 9:02d}",
            }
            st.submitted_at = f"2025-06-{1 + u.no % 9:02d} 09:{u.no:02d}"
            st.rows_filled = 0 if state == "无效" else max(share.rows_asked - u.no % 3, 0)
            st.errors = 2 if state in ("需重报", "无效") else 0
            st.warnings = u.no % 3
        at_stake = [c for c in share.criteria if c.key in missing]
        if state != "已报送" and at_stake:
            st.points_at_stake = sum((c.points for c in at_stake), 0) * Fraction(1)
            st.items_at_stake = [c.key for c in at_stake]
        out.append(st)
    return out


def issues_for(sp: Spec) -> Report:
    rep = Report()
    rep.add(
        issue(
            "value_not_number",
            file=file_of("市人社局"),
            sheet="数据填报",
            cell="E6",
            key="online_employment",
            value=FORMULA_TEXT,
            unit="市人社局",
        )
    )
    rep.add(
        issue(
            "value_negative",
            file=file_of("蒲州镇"),
            sheet="数据填报",
            cell="E5",
            key="I36.note",
            value="-3",
            unit="蒲州镇",
        )
    )
    rep.add(issue("file_corrupt", file=file_of("市融媒体中心"), detail="压缩包结构损坏", unit="市融媒体中心"))
    rep.add(
        issue(
            "conflict",
            key="online_operators",
            label="网络交易经营者数量（年末）",
            owner="市市场监管局",
            owner_value=2150,
            owner_cell="E7",
            other="市审批服务管理局",
            other_value=2203,
        )
    )
    rep.add(
        issue(
            "evidence_missing",
            file=file_of("市市场监管局"),
            sheet="评分要点",
            cell="F20",
            key="I12.3",
            unit="市市场监管局",
        )
    )
    for name in NOT_SUBMITTED:
        rep.add(issue("unit_not_submitted", unit=name, points=0, items="评分要点、重点任务"))
    rep.add(issue("file_legacy_format", file=file_of("蒲州镇"), ext=".xls", unit="蒲州镇"))
    rep.add(issue("contact_missing", file=file_of("市交通局"), sheet="单位信息", cell="C4", unit="市交通局"))
    rep.add(issue("reference_missing", key="I25.2", reference="national.mediation_success_rate@2024"))
    return rep


def build_result(
    values: Mapping[str, Any] | None = None,
    overrides: Mapping[str, tuple[Decimal, str]] | None = None,
    generated_at: str = "2025-06-15T10:30:00",
) -> RunResult:
    """A complete RunResult: scored values, units, conflicts, provenance, issues and progress."""
    sp = spec()
    scalars = dict(values) if values is not None else scalar_values()
    ans = answers(sp)
    lists = list_values()
    all_values: dict[str, Any] = {**scalars, **ans, **lists}
    computed = score(sp, all_values, YEAR, "中部")
    card = apply_overrides(sp, computed, overrides) if overrides else computed
    merged = merged_values(sp, scalars)
    units = unit_statuses(sp, computed)
    submitted = {u.unit for u in units if u.state in ("已报送", "需重报")}
    subs = [
        Submission(file_of(u.unit), Path("in") / file_of(u.unit), u.unit, YEAR, contact=u.contact)
        for u in units
        if u.unit in submitted
    ]
    return RunResult(
        spec=sp,
        year=YEAR,
        region="中部",
        card=card,
        computed=computed,
        values=all_values,
        merged=merged,
        answers=ans,
        lists=lists,
        tasks=tasks(sp, submitted),
        conflicts=conflicts(merged),
        units=units,
        submissions=subs,
        report=issues_for(sp),
        input_dir=Path("in"),
        generated_at=generated_at,
    )


def to_pdf(sources: list[Path], outdir: Path, timeout: int = 180, fmt: str = "pdf") -> list[Path]:
    """Convert files with headless LibreOffice (a private profile per call; ``fmt`` pdf or xlsx)
    and return the outputs; skips without soffice/pdftotext, but fails on CI where they must exist."""
    import os
    import shutil
    import subprocess
    import uuid

    import pytest

    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if not exe or not shutil.which("pdftotext"):
        message = "LibreOffice (soffice) 或 pdftotext 未安装，无法检查PDF转换"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    profile = Path("/tmp") / f"lo-{uuid.uuid4().hex}"
    cmd = [
        exe,
        "--headless",
        f"-env:UserInstallation={profile.as_uri()}",
        "--convert-to",
        fmt,
        "--outdir",
        str(outdir),
        *map(str, sources),
    ]
    try:
        done = subprocess.run(cmd, capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        pytest.fail(f"soffice timed out after {timeout}s")
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    pdfs = [outdir / f"{s.stem}.{fmt}" for s in sources]
    missing = [p.name for p in pdfs if not p.is_file()]
    assert not missing, f"soffice did not write {missing}: {done.stderr.decode(errors='replace')[-500:]}"
    return pdfs


def pdf_text(pdf: Path) -> str:
    """The PDF's text with all whitespace removed (pdftotext spaces CJK and digits apart)."""
    import subprocess

    out = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True, timeout=60
    )
    return "".join(out.stdout.decode("utf-8").split())
