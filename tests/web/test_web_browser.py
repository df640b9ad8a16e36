"""The office's page in a real browser (Debian chromium via Playwright), local mode.

One workspace per module: the bundled samples and a broken file are uploaded through the page,
then the dashboard is compared with scores.json of that same run, a 核定 entry is made in the
page, and every download is opened with the library that reads its format.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path

import pytest
from web_support import browser_context, launch_browser, samples, serving, wait_idle

pytestmark = pytest.mark.slow  # drives chromium

BROKEN = "坏文件（截断）.xlsx"


@pytest.fixture(scope="module")
def browser():
    yield from launch_browser()


@pytest.fixture(scope="module")
def site(tmp_path_factory, browser):
    tmp = tmp_path_factory.mktemp("web")
    broken = tmp / BROKEN
    data = (samples()[0]).read_bytes()
    broken.write_bytes(data[: len(data) // 3])  # a truncated workbook
    with serving(tmp / "工作区") as running, browser_context(browser) as ctx:
        page = ctx.new_page()
        page.goto(running.url + "upload")
        page.set_input_files("#files", [str(p) for p in samples()] + [str(broken)])
        page.click("#upload-button")
        page.wait_for_selector("#upload-results")
        rows = page.locator("#upload-results tbody tr")
        upload_text = page.inner_text("#upload-results")
        count = rows.count()
        wait_idle(page)
        running.workspace.wait(120)
        yield {"running": running, "page": page, "rows": count, "upload_text": upload_text, "tmp": tmp}


def _scores(running) -> dict:
    return json.loads((running.workspace.folder("结果") / "scores.json").read_text("utf-8"))


def test_every_uploaded_file_is_checked_at_once_and_stored_byte_identical(site):
    assert site["rows"] == len(samples()) + 1
    assert (
        BROKEN in site["upload_text"] and "文件已损坏或不完整" in site["upload_text"]
    )  # file_corrupt, shown on the upload page
    stored = {hashlib.sha256(p.read_bytes()).hexdigest() for p in site["running"].workspace.folder("报送").iterdir()}
    assert {hashlib.sha256(p.read_bytes()).hexdigest() for p in samples()} <= stored
    log = (site["running"].workspace.root / "上传记录.csv").read_text("utf-8-sig").splitlines()
    assert log[0].startswith("时间,单位,来源,原文件名,保存为,字节数,sha256") and len(log) == 1 + len(samples()) + 1


def test_dashboard_total_verdict_and_unit_counts_equal_scores_json(site):
    page, doc = site["page"], _scores(site["running"])
    page.goto(site["running"].url)
    assert float(page.inner_text("#total")) == doc["total"]
    assert page.inner_text("#verdict") == ("达到合格标准" if doc["passed"] else "未达到合格标准")
    assert ("✓" in page.inner_text("#rule-total")) == doc["pass_rule"]["total_ok"]
    assert ("✓" in page.inner_text("#rule-levels")) == doc["pass_rule"]["first_level_ok"]
    states = [u["state"] for u in doc["units"]]
    assert int(page.inner_text("#count-submitted")) == states.count("已报送")
    assert int(page.inner_text("#count-resubmit")) == states.count("需重报")
    assert int(page.inner_text("#count-unfilled")) == states.count("未填写")
    assert int(page.inner_text("#count-missing")) == states.count("未报送") + states.count("无效")
    assert states.count("未报送") >= 1  # the samples leave one unit out, so the counts are not all trivially equal
    assert "达标路径" in page.inner_text("#path-to-pass") or page.locator("#path-to-pass dl, #path-to-pass ul").count()


def test_units_issues_and_indicator_pages_show_the_run(site):
    page, running = site["page"], site["running"]
    doc = _scores(running)
    page.goto(running.url + "units")
    missing = next(u for u in doc["units"] if u["state"] == "未报送")["unit"]
    row = page.locator(f"#units tr[data-unit='{missing}']")
    assert "尚未报送" in row.locator("textarea.remind").input_value()  # its 催报 text, ready to copy
    page.goto(running.url + "issues?severity=error")
    text = page.inner_text("main")
    assert BROKEN in text and "警告" not in page.inner_text(".issue-table tbody")
    n_errors = sum(1 for i in doc["issues"] if i["severity"] == "error")
    assert page.inner_text("#issue-count") == f"共{n_errors}条"
    page.goto(running.url + "indicators/I01")
    i01 = next(i for i in doc["indicators"] if i["key"] == "I01")
    assert page.inner_text("#ind-score") == str(i01["score"])
    assert "数据填报!" in page.inner_text("main")  # provenance: file | sheet!cell


def test_review_entered_in_the_page_changes_the_score(site):
    page, running = site["page"], site["running"]
    before = _scores(running)
    i06 = next(i for i in before["indicators"] if i["key"] == "I06")
    assert i06["score"] < i06["max"]
    page.goto(running.url + "review")
    page.fill("#score-I06", str(i06["max"]))
    page.fill("#note-I06", "经核实按全国最新口径达标")
    page.click("#row-I06 button")
    page.wait_for_selector("#saved")
    wait_idle(page)
    running.workspace.wait(120)
    after = _scores(running)
    assert after["total"] == before["total"] + (i06["max"] - i06["score"])
    got = next(i for i in after["indicators"] if i["key"] == "I06")
    assert (
        got["score"] == i06["max"]
        and got["computed_score"] == i06["score"]
        and got["review_note"] == "经核实按全国最新口径达标"
    )
    page.goto(running.url + "review")
    pending = page.inner_text("tr.pending >> nth=0")
    assert "待核定" in pending and "全国网络消费纠纷调解成功率" in pending and "national." not in pending
    assert "I25" not in pending
    assert page.input_value("#score-I06") == str(i06["max"])
    page.goto(running.url)
    assert float(page.inner_text("#total")) == after["total"]


def test_templates_page_prefills_from_the_last_run_when_asked(site, tmp_path):
    """预填 on the 模板 page writes the last run's accepted figures into the new templates: the
    statistics bureau's 2023 online retail figure of the samples comes back in its template."""
    from openpyxl import load_workbook

    page, running = site["page"], site["running"]
    doc = _scores(running)
    stats = doc["values"]["市统计局"]["fields"]["online_retail@2023"]
    page.goto(running.url + "templates")
    page.check("#prefill")
    page.click("#templates-button")
    page.wait_for_selector("#template-files")
    book = next((running.workspace.root / "模板").glob("*_市统计局_*.xlsx"))
    ws = load_workbook(book)[stats["sheet"]]
    found = [c for row in ws.iter_rows() for c in row if c.comment is not None and "已预填" in c.comment.text]
    assert found, "no prefilled cell in the statistics bureau's template"
    assert any(str(c.value).rstrip("0").rstrip(".") == stats["value"].rstrip("0").rstrip(".") for c in found), stats


def test_templates_page_then_every_download_opens(site):
    from docx import Document
    from openpyxl import load_workbook

    page, running = site["page"], site["running"]
    page.goto(running.url + "templates")
    page.fill("input[name='deadline']", "2025-03-31")
    page.click("#templates-button")
    page.wait_for_selector("#template-files")
    assert page.locator("#template-files li").count() == 38
    page.goto(running.url + "downloads")
    got = {}
    for what in ("breakdown", "report", "brief", "scores", "templates", "feedback", "all"):
        with page.expect_download() as info:
            page.click(f"a[data-what='{what}']")
        path = Path(info.value.path())
        got[what] = (info.value.suggested_filename, path.read_bytes())
    assert "评分汇总" in load_workbook(io.BytesIO(got["breakdown"][1]), read_only=True).sheetnames
    assert got["breakdown"][0] == "任务分解表_2024年度.xlsx"
    assert any("自评报告" in p.text for p in Document(io.BytesIO(got["report"][1])).paragraphs)
    assert got["brief"][0] == "内部工作提示_2024年度.docx"
    assert any("内部工作提示" in p.text for p in Document(io.BytesIO(got["brief"][1])).paragraphs)
    assert json.loads(got["scores"][1])["total"] == _scores(running)["total"]
    with zipfile.ZipFile(io.BytesIO(got["all"][1])) as zf:
        everything = set(zf.namelist())
    assert {got[k][0] for k in ("breakdown", "report", "brief", "scores")} <= everything
    assert {f"反馈/{m}" for m in zipfile.ZipFile(io.BytesIO(got["feedback"][1])).namelist()} <= everything
    for name in ("templates", "feedback"):
        with zipfile.ZipFile(io.BytesIO(got[name][1])) as zf:
            members = zf.namelist()
            assert members and all(m.endswith(".xlsx") for m in members)
            for m in members:
                load_workbook(io.BytesIO(zf.read(m)), read_only=True).close()
    assert len(zipfile.ZipFile(io.BytesIO(got["templates"][1])).namelist()) == 38
    page.goto(running.url + "units")
    link = page.locator("a:has-text('下载问题反馈表')").first
    with page.expect_download() as info:
        link.click()
    assert info.value.suggested_filename.endswith("_问题反馈.xlsx")
    assert "问题清单" in load_workbook(io.BytesIO(Path(info.value.path()).read_bytes()), read_only=True).sheetnames


def test_a_failed_run_shows_the_message_and_no_stack_trace(tmp_path, browser):
    root = tmp_path / "工作区"
    (root / "结果" / "scores.json").mkdir(parents=True)  # a folder where the output file must go
    with serving(root) as running, browser_context(browser) as ctx:
        page = ctx.new_page()
        page.goto(running.url + "upload")
        page.set_input_files("#files", [str(samples()[0])])
        page.click("#upload-button")
        page.wait_for_selector("#upload-results")
        wait_idle(page)
        running.workspace.wait(120)
        page.goto(running.url)
        text = page.inner_text("body")
        assert page.get_attribute("body", "data-job") == "failed"
        assert "无法写入" in page.inner_text("#job-error")
        assert "Traceback" not in text and "Error" not in text


def test_the_overview_shows_the_library_s_path_to_pass_as_scores_json_has_it(site):
    from yongji_xls import api

    page, running = site["page"], site["running"]
    doc = _scores(running)["path_to_pass"]
    page.goto(running.url)
    text = page.inner_text("#path-to-pass")
    lines = api.path_to_pass_lines(running.workspace.result)
    assert lines and all(line in text for line in lines)
    assert ("无法达标" in text) == (not doc["reachable"])
    if doc["reachable"] and not doc["passed"]:
        assert all(item["key"] in text for item in doc["chosen"])
