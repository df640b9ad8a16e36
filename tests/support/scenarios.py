"""Merged-value scenarios for scoring tests: a full-marks county and ways to lose points.

Figures are chosen by hand so the expected scores are known without running the engine.
"""

from __future__ import annotations

import copy
from typing import Any

from yongji_xls.system.load import load_spec

YEAR = 2024
NATIONAL_EXTRA = {
    "national.mediation_success_rate@2024": 80,
    "national.odr_on_time_rate@2024": 90,
    "national.odr_settlement_rate@2024": 80,
}


def evidence(
    unit: str = "市市场监管局",
    done: bool = True,
    note: str = "已建立机制并运行",
    materials: tuple[str, ...] = ("工作方案.pdf",),
) -> dict[str, Any]:
    return {"done": done, "note": note, "evidence": list(materials), "unit": unit}


def full_values() -> dict[str, Any]:
    """A county that meets every rule of 附件2 (100 points with NATIONAL_EXTRA)."""
    v: dict[str, Any] = {
        "online_retail@2022": 100000,
        "online_retail@2023": 120000,
        "online_retail@2024": 140000,
        "social_retail@2022": 300000,
        "social_retail@2023": 310000,
        "social_retail@2024": 320000,
        "online_operators": 2000,
        "market_entities": 10000,
        "operators_2y": 1200,
        "express_volume@2022": 1000,
        "express_volume@2023": 1300,
        "express_volume@2024": 1600,
        "online_employment": 6000,
        "total_employment": 100000,
        "ecommerce_tax": 600,
        "total_tax": 10000,
        "platform_users": 60,
        "regulatory_staff": 100,
        "claims_distributed": 50,
        "claims_processed": 50,
        "leads_total": 100,
        "leads_checked_on_time": 100,
        "assigned_total": 10,
        "assigned_handled_timely": 10,
        "assigned_completed": 10,
        "reconsideration_total": 5,
        "reconsideration_upheld": 5,
        "litigation_total": 2,
        "litigation_won": 2,
        "procedural_losses": 0,
        "monitoring_total": 100,
        "monitoring_checked_timely": 100,
        "monitoring_completed": 100,
        "complaints_total": 100,
        "complaints_initial_on_time": 100,
        "complaints_closed_on_time": 100,
        "mediations_total": 50,
        "mediations_success": 45,
        "satisfaction_rate": 85,
        "odr_total": 20,
        "odr_closed_on_time": 20,
        "odr_settled": 18,
        "supervisors_total": 10,
        "supervisors_trained": 10,
        "min_training_hours": 60,
        "I04": [
            {
                "企业名称": "永济甲电商有限公司",
                "统一社会信用代码": "91140881AAAAAAAA1A",
                "达标年度": 2023,
                "年度电子商务销售额（万元）": 12000,
            },
            {
                "企业名称": "永济乙电商有限公司",
                "统一社会信用代码": "91140881BBBBBBBB2B",
                "达标年度": 2024,
                "年度电子商务销售额（万元）": 15000,
            },
        ],
        "I32": [
            {
                "认可事项": "网络市场监管经验",
                "认可形式": "典型经验",
                "认可机关": "山西省市场监督管理局",
                "级别": "省级",
                "日期": "2024-05-01",
            }
        ],
        "I33": [
            {
                "报道标题": "永济直播电商",
                "媒体名称": "人民日报",
                "媒体级别": "国家级",
                "报道日期": "2024-03-01",
                "链接": "",
            },
            {
                "报道标题": "永济网络监管",
                "媒体名称": "山西日报",
                "媒体级别": "省部级",
                "报道日期": "2024-04-01",
                "链接": "",
            },
        ],
        "I34": [
            {
                "成果名称": "永济市网络交易监管办法",
                "类别": "规范性文件",
                "文号或标准号": "永政办发〔2024〕1号",
                "发布日期": "2024-01-10",
            },
            {
                "成果名称": "农产品直播电商服务规范",
                "类别": "标准",
                "文号或标准号": "T/YJ 001-2024",
                "发布日期": "2024-02-10",
            },
        ],
    }
    v.update(NATIONAL_EXTRA)
    spec = load_spec()
    for ind in spec.indicators:
        for c in ind.criteria:
            if c.kind == "evidence":
                v[c.key] = [evidence(ind.lead)]
    return v


def without(values: dict[str, Any], *criteria: str) -> dict[str, Any]:
    """A copy in which the given evidence criteria were answered 否."""
    out = copy.deepcopy(values)
    for key in criteria:
        out[key] = [evidence(done=False)]
    return out
