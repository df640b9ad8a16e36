"""Fonts and language that survive a stock Windows PC: the docx font table, language and names
read back from the XML, and a LibreOffice rendering with only stock-like Chinese faces installed."""

from __future__ import annotations

import os
import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from factories import build_result, pdf_text, to_pdf
from helpers import assert_stock_chinese_faces

from yongji_xls import api
from yongji_xls.report.breakdown import write_breakdown
from yongji_xls.report.docx_report import write_docx_report

GB_NAMES = ("仿宋_GB2312", "楷体_GB2312", "方正小标宋简体")


@pytest.fixture(scope="module")
def result():
    return build_result()


@pytest.fixture(scope="module")
def reports(tmp_path_factory, result):
    out = tmp_path_factory.mktemp("fonts")
    gb, _ = write_docx_report(result, out / "gb" / "自评报告.docx")
    win, _ = write_docx_report(result, out / "win" / "自评报告.docx", fonts="windows")
    return gb, win


def part(path: Path, name: str) -> str:
    with zipfile.ZipFile(path) as z:
        return z.read(name).decode("utf-8")


def font_table(path: Path) -> list[dict[str, str]]:
    xml = part(path, "word/fontTable.xml")
    out = []
    for m in re.finditer(r'<w:font w:name="([^"]+)">(.*?)</w:font>', xml, re.S):
        body = m.group(2)
        alt = re.search(r'<w:altName w:val="([^"]+)"', body)
        charset = re.search(r'<w:charset w:val="([^"]+)"', body)
        out.append(
            {
                "name": m.group(1),
                "alt": alt.group(1) if alt else "",
                "charset": charset.group(1) if charset else "",
                "panose": "w:panose1" in body,
            }
        )
    return out


def named_fonts(path: Path) -> set[str]:
    xml = part(path, "word/document.xml") + part(path, "word/styles.xml")
    return set(re.findall(r'w:(?:ascii|hAnsi|eastAsia|cs)="([^"]+)"', xml))


def test_gb_names_come_first_with_their_stock_fallbacks(reports):
    table = font_table(reports[0])
    assert {f["name"] for f in table[:3]} == set(GB_NAMES)
    assert {f["name"]: f["alt"] for f in table[:3]} == {
        "仿宋_GB2312": "仿宋",
        "楷体_GB2312": "楷体",
        "方正小标宋简体": "宋体",
    }
    chinese = [f for f in table if re.search(r"[\u4e00-\u9fff]", f["name"])]
    assert {f["name"] for f in chinese} >= {*GB_NAMES, "仿宋", "楷体", "宋体", "黑体"}
    assert all(f["charset"] == "86" and f["panose"] for f in chinese)
    assert not any(f["name"].startswith("ＭＳ") for f in table)  # the template's Japanese faces are gone
    assert set(GB_NAMES) <= named_fonts(reports[0])


def test_language_is_zh_cn_and_fields_are_not_updated_on_open(reports):
    for path in reports:
        styles, settings = part(path, "word/styles.xml"), part(path, "word/settings.xml")
        defaults = styles[styles.index("<w:docDefaults>") : styles.index("</w:docDefaults>")]
        assert re.findall(r'w:eastAsia="([^"]+)"', defaults.split("<w:lang", 1)[1])[0] == "zh-CN"
        assert 'w:eastAsia="ja-JP"' not in styles + settings + part(path, "word/stylesWithEffects.xml")
        assert re.search(r'<w:themeFontLang [^>]*w:eastAsia="zh-CN"', settings)
        assert "updateFields" not in settings
        assert '<a:ea typeface="宋体"/>' in part(path, "word/theme/theme1.xml")


def test_windows_mode_writes_only_stock_faces(reports):
    names = named_fonts(reports[1])
    assert not names & set(GB_NAMES)
    assert {"仿宋", "楷体", "宋体", "黑体"} <= names
    assert not {f["name"] for f in font_table(reports[1])} & set(GB_NAMES)


def test_unknown_font_set_is_refused(tmp_path, result):
    with pytest.raises(api.YongjiError, match="字体方案「times」无效"):
        api.write_outputs(result, tmp_path, fonts="times")


def test_breakdown_workbook_uses_stock_chinese_faces(tmp_path, result):
    assert_stock_chinese_faces(write_breakdown(result, tmp_path / "任务分解表.xlsx"))


def test_the_office_configuration_and_the_system_workbook_use_stock_chinese_faces(tmp_path):
    assert_stock_chinese_faces(api.init_office(tmp_path / "临猗", "临猗县"))
    assert_stock_chinese_faces(api.export_system(tmp_path / "指标体系.xlsx"))


def _stock_like_fontconfig(tmp_path: Path) -> dict[str, str]:
    """A fontconfig that knows the Windows faces 仿宋/楷体/宋体/黑体 (served by Noto CJK) and one
    Western family, and nothing named 仿宋_GB2312: what a PC without the GB fonts offers."""
    noto = "/usr/share/fonts/opentype/noto"
    if not Path(noto).is_dir():  # CI installs them (.ci/run): a missing font there is a failure
        (pytest.fail if os.environ.get("CI") else pytest.skip)("Noto CJK fonts not installed")
    aliases = "".join(
        f'<alias binding="same"><family>{name}</family><prefer><family>{face}</family></prefer></alias>'
        for name, face in (
            ("宋体", "Noto Serif CJK SC"),
            ("仿宋", "Noto Serif CJK SC"),
            ("楷体", "Noto Serif CJK SC"),
            ("黑体", "Noto Sans CJK SC"),
        )
    )
    conf = tmp_path / "fonts.conf"
    conf.write_text(
        f'<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig><dir>{noto}</dir>'
        f"<dir>/usr/share/fonts/truetype/dejavu</dir><cachedir>{tmp_path / 'cache'}</cachedir>{aliases}</fontconfig>",
        "utf-8",
    )
    return {"FONTCONFIG_FILE": str(conf)}


@pytest.mark.slow  # LibreOffice
def test_libreoffice_with_stock_faces_renders_the_windows_report_in_chinese_faces_only(tmp_path, reports, monkeypatch):
    for key, value in _stock_like_fontconfig(tmp_path).items():
        monkeypatch.setenv(key, value)
    pdfs = to_pdf([reports[1]], tmp_path)
    faces = subprocess.run(
        ["pdffonts", str(pdfs[0])], capture_output=True, text=True, check=True, env=os.environ
    ).stdout
    used = [line.split()[0].split("+")[-1] for line in faces.splitlines()[2:] if line.strip()]
    assert used and all("CJK" in face for face in used), used
    assert "自评总分为" in pdf_text(pdfs[0])


def test_demo_with_windows_fonts_writes_stock_names(tmp_path):
    from click.testing import CliRunner

    from yongji_xls.cli import main

    r = CliRunner().invoke(main, ["demo", "--out", str(tmp_path), "--fonts", "windows"])
    assert r.exit_code == 0, r.output
    names = named_fonts(next(tmp_path.glob("自评报告*.docx")))
    assert "仿宋" in names and not names & set(GB_NAMES)
