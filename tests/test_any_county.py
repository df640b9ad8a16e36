"""A county configured from scratch — its own units, towns and a work plan of 12 tasks — gets
templates, outputs and pages that never name 永济 or any of Yongji's own tasks (issue 22)."""

from __future__ import annotations

import functools
import json
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from helpers import CONTACT, fill_workbook, random_values
from web_support import Client

from yongji_xls import api
from yongji_xls.cli import main
from yongji_xls.system.load import read_system, shipped_units
from yongji_xls.system.shares import all_shares
from yongji_xls.web.server import start
from yongji_xls.web.workspace import Workspace
from yongji_xls.workbook.write.work_plan import SHEET_TASKS

CITY = "临猗县"
TOWNS = ("猗氏镇", "嵋阳镇", "临晋镇", "七级镇")
PLAN = [  # 编号, 所属方面, 任务名称, 任务内容, 责任单位 — the county's own plan, none of it Yongji's
    (1, "做强电商产业", "打造临猗苹果网络品牌", "培育苹果、石榴区域公用品牌。", "县农业农村局（牵头）、县工科局"),
    (2, "做强电商产业", "建设县级电商公共服务中心", "整合物流、培训、金融服务资源。", "县工科局（牵头）、县财政局"),
    (3, "做强电商产业", "推动冷链物流设施建设", "新建产地冷库和分拣中心。", "县交通局、县农业农村局"),
    (4, "做强电商产业", "培育直播电商人才", "每年培训直播电商从业人员。", "县人社局（牵头）、县工科局"),
    (5, "规范市场秩序", "开展网络集中促销专项检查", "对节日促销活动开展专项检查。", "县市场监管局"),
    (6, "规范市场秩序", "清理无证无照网络经营", "清理未亮照经营者。", "县市场监管局（牵头）、县审批服务管理局"),
    (7, "规范市场秩序", "强化网络食品安全抽检", "对网售农产品开展抽检。", "县市场监管局、县农业农村局"),
    (8, "优化营商服务", "推行电商主体登记一网通办", "实现网店登记全程网办。", "县审批服务管理局"),
    (9, "优化营商服务", "建设镇级电商服务站", "每个镇建成一个电商服务站。", "各镇（街道）、县工科局"),
    (10, "优化营商服务", "畅通网络消费维权渠道", "建立线上纠纷快速处理机制。", "县市场监管局、县消费者协会"),
    (11, "强化组织保障", "建立创建工作月调度制度", "领导小组办公室每月调度进展。", "县市场监管局"),
    (12, "强化组织保障", "落实创建工作经费", "将创建经费纳入年度预算。", "县财政局"),
]
YEAR = 2024


def configure(root: Path) -> Path:
    """`init` (not from Yongji), then the office's own towns and plan, as an office types them."""
    path = api.init_office(root, CITY)
    wb = openpyxl.load_workbook(path)
    ws = wb["单位"]
    n = ws.max_row
    for i, town in enumerate(TOWNS, 1):
        ws.append([n + i - 1, town, "", "否", "是"])
    plan = wb[SHEET_TASKS]
    plan.delete_rows(2, plan.max_row)
    for row in PLAN:
        plan.append(list(row))
    info = wb["基本信息"]
    for r in range(1, info.max_row + 1):
        if info.cell(r, 1).value == "联系人":
            info.cell(r, 2).value = "王五"
    wb.save(path)
    return path


@functools.cache
def yongji_words() -> tuple[str, ...]:
    """永济 and every title and text of Yongji's own plan — but a title that is also a phrase of the
    national indicators (任务3「促进线上线下融合发展」 opens 评分要点I31.1) is the system's words, not Yongji's.

    Read from the shipped YAML once: every file and page searched asks (~90 times, 0.08 s each)."""
    tasks = shipped_units()["tasks"]
    national = json.dumps(read_system()["indicators"], ensure_ascii=False)
    words = [t["title"] for t in tasks] + [str(t["text"]).strip()[:30] for t in tasks]
    return ("永济", *(w for w in words if w not in national))


def texts_of(path: Path) -> str:
    """Every text a file holds: the XML parts of a workbook or document, a JSON file as it is."""
    if path.suffix == ".json":
        return path.read_text("utf-8")
    with zipfile.ZipFile(path) as z:
        return "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith((".xml", ".rels")))


def test_the_words_searched_are_yongjis_plan():
    words = yongji_words()
    assert len(words) == 1 + 20 + 21 and "促进线上线下融合发展" not in words and "加大政策扶持力度" in words


def found(text: str) -> list[str]:
    return [w for w in yongji_words() if w in text]


@pytest.fixture(scope="module")
def county(tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("临猗")
    config = configure(root)
    spec = api.load_system(config=config)
    templates = api.write_templates(root / "模板", spec=spec, year=YEAR)
    for n, (share, template) in enumerate(zip(all_shares(spec, YEAR).values(), templates)):
        fill_workbook(template, random_values(spec, share, seed=n), root / "报送" / template.name, contact=CONTACT)
    r = CliRunner().invoke(main, ["run", str(root / "报送"), "--out", str(root / "结果"), "--config", str(config)])
    assert r.exit_code == 0, r.output
    return {"root": root, "config": config, "spec": spec, "templates": templates, "cli": r.output}


def test_the_plan_and_the_office_are_the_countys(county):
    spec = county["spec"]
    assert [t.title for t in spec.tasks] == [row[2] for row in PLAN] and len(spec.tasks) == 12
    assert spec.task("T09").units[: len(TOWNS)] == TOWNS
    assert spec.office["seat"] == "县市场监管局"
    share = all_shares(spec, YEAR)["县市场监管局"]
    assert [t.key for t in share.tasks] == ["T05", "T06", "T07", "T10", "T11"]


def test_templates_never_name_yongji_or_its_tasks(county):
    assert len(county["templates"]) >= 30
    for path in county["templates"]:
        assert found(texts_of(path)) == [], path.name
    first = openpyxl.load_workbook(county["templates"][0])["填报说明"]
    lines = [c.value for row in first.iter_rows() for c in row if isinstance(c.value, str)]
    assert f"{CITY}网络市场监管与服务示范区创建工作领导小组办公室（设在县市场监管局）" in lines


def test_outputs_never_name_yongji_or_its_tasks(county):
    out = county["root"] / "结果"
    files = [p for p in out.rglob("*") if p.suffix in (".xlsx", ".docx", ".json")]
    assert {p.suffix for p in files} == {".xlsx", ".docx", ".json"} and len(files) > 3
    for path in files:
        assert found(texts_of(path)) == [], path.name
    assert found(county["cli"]) == []
    doc = json.loads((out / "scores.json").read_text("utf-8"))
    assert doc["county"] == CITY
    report = texts_of(next(out.glob("自评报告_*.docx")))
    assert "工作方案确定的12项主要任务" in report  # the report counts the plan's tasks; the breakdown lists them
    assert "打造临猗苹果网络品牌" in texts_of(next(out.glob("任务分解表_*.xlsx")))


def test_pages_never_name_yongji_or_its_tasks(county, tmp_path):
    root = tmp_path / "工作区"
    (root / "报送").mkdir(parents=True)
    for p in (county["root"] / "报送").iterdir():
        (root / "报送" / p.name).write_bytes(p.read_bytes())
    running = start(Workspace(root, spec=county["spec"]), host="127.0.0.1", port=0)
    try:
        running.workspace.wait(300)
        assert running.workspace.result is not None
        client = Client(running)
        paths = ["/", "/upload", "/units", "/indicators", "/issues", "/review", "/downloads", "/templates"]
        paths += [f"/indicators/{i.key}" for i in county["spec"].indicators]
        for path in paths:
            status, html = client.get(path)
            assert status == 200, path
            assert found(html) == [], path
        assert CITY in client.get("/")[1]
    finally:
        running.workspace.wait(120)
        running.stop()
