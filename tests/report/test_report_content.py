"""The demo's self-evaluation report and internal brief, read as their readers read them (issue 19).

The report goes upward over the county's seal: no key, no tool instruction, no collection
statistics, no 达标路径; a unit that answered 否 is quoted with its reason; the narrative of each
first-level group is built from what that group's units wrote; GB/T 9704's closing elements are
where the standard puts them. The internal brief carries what the office acts on.
"""

from __future__ import annotations

import json
import re
from fractions import Fraction

import docx
import pytest
from demo_docs import DATE, texts
from docx.shared import Pt
from leaks import leaks_in, typed_latin

from yongji_xls import api
from yongji_xls.report.narrative import first_sentence


@pytest.fixture(scope="module")
def run(demo_run):
    return demo_run  # the session's demo run (conftest): this module only reads it


@pytest.fixture(scope="module")
def report(run):
    return texts(run[1] / "自评报告_2024年度.docx")


@pytest.fixture(scope="module")
def brief(run):
    return texts(run[1] / "内部工作提示_2024年度.docx")


def test_no_key_flag_or_stray_latin_reaches_the_report_or_the_brief(run, report, brief):
    allowed = typed_latin(run[0]) | {"ODR"}
    assert leaks_in(report, allowed) == {}
    assert leaks_in(brief, allowed | {"xlsx", "xls"}) == {}  # the office's own file names are working detail


def test_odr_is_spelled_out_where_the_report_first_uses_it(report):
    body = "\n".join(report)
    first = body.index("ODR")
    assert body[first - len("在线消费纠纷解决（") : first + 4] == "在线消费纠纷解决（ODR）"


def test_a_unit_that_answered_no_is_quoted_and_never_called_a_blank(report):
    body = "\n".join(report)
    assert "市市场监管局：未完成（正在对接省级平台接口）" in body
    assert "填报未完成" not in body  # every responsible unit of every lost criterion answered


def test_full_mark_indicators_never_say_they_scored_nothing(run, report):
    doc = json.loads((run[1] / "scores.json").read_text("utf-8"))
    full = [i for i in doc["indicators"] if i["score"] == i["max"]]
    assert [i["key"] for i in full if "不得分" in i["reason"]] == []
    assert {"I28", "I29", "I30", "I31"} <= {i["key"] for i in full}
    annex = docx.Document(str(run[1] / "自评报告_2024年度.docx")).tables
    scores = next(t for t in annex if [c.text for c in t.rows[0].cells][:2] == ["编号", "三级指标"])
    basis = {r.cells[0].text: r.cells[4].text for r in scores.rows[1:] if r.cells[0].text}
    assert [n for n, i in ((str(i["no"]), i) for i in full) if "不得分" in basis[n]] == []
    assert basis["30"].startswith("符合第1、3项评分要点")


def test_path_to_pass_items_add_up_to_the_points_lost(run):
    doc = json.loads((run[1] / "scores.json").read_text("utf-8"))
    items = doc["path_to_pass"]["items"]
    assert sum(Fraction(str(i["lost"])) for i in items) == doc["max"] - doc["total"] == 13
    assert not [i for i in items if i["indicator"] in ("I30", "I31")]  # full marks: nothing lost


def _part(report: list[str], heading: str, following: str) -> str:
    body = "\n".join(report)
    start = body.index(heading)
    return body[start : body.index(following, start + len(heading))]


def test_each_first_level_part_is_built_from_what_its_units_wrote(run, report):
    result = run[0]
    spec = result.spec
    levels = [f.name for f in spec.first_levels]
    nexts = [f"（{n}）{name}" for n, name in zip("一二三四五", levels)][1:] + ["四、存在的问题"]
    for n, (name, following) in enumerate(zip(levels, nexts)):
        part = _part(report, f"（{'一二三四五'[n]}）{name}\n", following)
        notes = [
            first_sentence(a.note)
            for ind in spec.indicators
            if ind.first == name
            for key in [c.key for c in ind.criteria] + [f"{ind.key}.note"]
            for a in result.answers.get(key, [])
            if a.done is not False and a.note
        ]
        pieces = [m for s in notes for m in re.findall(r"[^我，。；、（）“”]{12,}", s)]
        assert any(p in part for p in pieces), name
        quoted = re.findall(r"(市[^。；：]{1,12}?(?:局|部|办公室|中心|协会|分公司|支行))", part)
        assert quoted, name  # measures are attributed to their units


def test_the_narrative_quotes_no_sentence_twice_and_is_the_same_every_time(run, report):
    from yongji_xls.report.sections import section_drafts

    part = _part(report, "三、主要做法和成效", "四、存在的问题")
    sentences = [s for s in re.split(r"(?<=。)", part) if len(s) > 30]
    assert len(sentences) == len(set(sentences))
    assert section_drafts(run[0]) == section_drafts(run[0])


def test_the_report_carries_no_collection_statistics_and_no_path_to_pass(report, brief):
    body = "\n".join(report)
    for internal in ("达标路径", "报送率", "填报率", "警告", "催报", "scores.json", "待核定："):
        assert internal not in body, internal
    assert not re.search(r"见任务分解表|任务分解表[“”「」\"]", body)  # no pointer to a file the city never gets
    inside = "\n".join(brief)
    assert "三、达标路径" in inside and "列入达标方案" in inside and "报送率97.4%" in inside
    assert "市委网信办：贵单位尚未报送" in inside  # who is missing, with the 催报 text
    assert "2024年全国网络消费纠纷调解成功率尚未公布" in inside  # what each 待核定 item needs


def test_problems_say_what_is_lacking_with_figures_and_national_comparisons(report):
    problems = _part(report, "四、存在的问题", "五、下一步工作打算")
    assert "2023、2024年网上零售额占社会消费品零售总额比重16.3%、16.6%，低于全国32.7%、31.8%（市统计局）" in problems
    assert "因2024年全国网络消费纠纷调解成功率" in problems and "尚未公布暂按0分计" in problems
    steps = _part(report, "五、下一步工作打算", "特此报告。")
    assert "市统计局牵头" in steps and "市市场监管局加快推进" in steps


def test_the_closing_follows_gb_9704(run):
    d = docx.Document(str(run[1] / "自评报告_2024年度.docx"))
    paras = [p for p in d.paragraphs if p.text]
    texts_ = [p.text for p in paras]
    end = texts_.index("特此报告。")
    assert texts_[end + 1] == "附件：1.三级指标自评得分明细" and texts_[end + 2] == "2.佐证材料目录"
    sign, date = paras[end + 3], paras[end + 4]
    assert sign.text == run[0].spec.office["name"] and date.text == "2025年1月28日"
    assert sign.paragraph_format.right_indent == Pt(32)  # 署名 右空二字 (三号: 16 pt a character)
    assert date.paragraph_format.right_indent == Pt(64)  # 成文日期 右空四字
    assert texts_[end + 5] == "附件1"  # the annexes follow on their own pages
    footers = [d.sections[0].footer.paragraphs[0].text, d.sections[0].even_page_footer.paragraphs[0].text]
    assert all(f.startswith("— ") and f.endswith(" —") for f in footers)


def test_the_date_option_sets_the_report_date(tmp_path):
    from click.testing import CliRunner

    from yongji_xls.cli import main

    r = CliRunner().invoke(main, ["demo", "--out", str(tmp_path / "出"), "--date", "2025年2月3日"])
    assert r.exit_code == 0, r.output
    body = "\n".join(texts(tmp_path / "出" / "自评报告_2024年度.docx"))
    assert "2025年2月3日" in body
    bad = CliRunner().invoke(main, ["demo", "--out", str(tmp_path / "错"), "--date", "2025-02-30"])
    assert bad.exit_code != 0 and "成文日期「2025-02-30」无法识别" in bad.output
    lines = [ln for ln in r.output.splitlines() if "/" not in ln and "\\" not in ln]  # paths aside
    assert leaks_in(lines) == {}  # the CLI summary names no key


def test_formal_rows_of_the_configuration_reach_the_report(run, tmp_path):
    """发文字号 and 签发人 above the title, 版记 (抄送, 印发机关, 印发日期) at the end, when 单位配置
    fills them; Yongji's shipped configuration fills only the 印发机关 (印发日期 = 成文日期)."""
    import openpyxl

    from yongji_xls.report.docx_report import write_docx_report

    shipped = docx.Document(str(run[1] / "自评报告_2024年度.docx"))
    assert not shipped.paragraphs[0].text.startswith("永网创办")
    imprint = [[c.text for c in r.cells] for r in shipped.tables[-1].rows]
    assert imprint == [[run[0].spec.office["issuer"], "2025年1月28日印发"]]

    config = api.init_office(tmp_path / "配置", "永济市", from_yongji=True)
    wb = openpyxl.load_workbook(config)
    ws = wb["基本信息"]
    filled = {
        "发文字号": "永网创办〔2025〕1号",
        "签发人": "王某某",
        "抄送": "运城市示范区创建办",
        "印发日期": "2025年1月29日",
    }
    for r in range(2, ws.max_row + 1):
        if ws.cell(r, 1).value in filled:
            ws.cell(r, 2).value = filled[ws.cell(r, 1).value]
    wb.save(config)
    result = api.run(api.sample_workbooks(), spec=api.load_system(config=config))
    path, _ = write_docx_report(result, tmp_path / "r.docx", date=DATE)
    d = docx.Document(str(path))
    first = d.paragraphs[0]
    assert first.text == "永网创办〔2025〕1号\t签发人：王某某"
    assert "FF0000" in first._p.xml  # the red separator line under it
    cells = [c.text for t in d.tables for r in t.rows for c in r.cells]
    assert "抄送：运城市示范区创建办。" in cells and "2025年1月29日印发" in cells
