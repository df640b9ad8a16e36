"""The message catalogue: every entry is used by the code and exercised by a test, and every
message tells the user what to do."""

from __future__ import annotations

import functools
import re
from pathlib import Path

import pytest

from yongji_xls.issues import CATALOGUE, FATAL, REFUSALS, YongjiError, issue, refusal

ROOT = Path(__file__).resolve().parents[1]


@functools.cache
def _text(folder: str, skip: str = "") -> str:
    """A folder's Python source but one file, read once per session (every code of the catalogue asks)."""
    return "\n".join(p.read_text("utf-8") for p in (ROOT / folder).rglob("*.py") if p.name != skip)


@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_code_is_emitted_and_tested(code):
    assert f'"{code}"' in _text("yongji_xls", skip="issues.py"), f"{code} is never emitted"
    assert re.search(rf"[\"']{code}[\"']", _text("tests", skip="test_catalogue.py")), (
        f"{code} is never asserted by a test"
    )


@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_message_is_chinese_and_formats(code):
    severity, template = CATALOGUE[code]
    fields = set(re.findall(r"{(\w+)}", template))
    item = issue(
        code,
        file="甲.xlsx",
        sheet="数据填报",
        cell="G7",
        key="k",
        value="v",
        **{f: "x" for f in fields - {"file", "sheet", "cell", "key", "value", "unit"}},
    )
    assert severity in ("error", "warning", "info")
    assert re.search(r"[\u4e00-\u9fff]", item.message)
    assert item.text.startswith("文件「甲.xlsx」工作表「数据填报」单元格G7：")
    if severity == "error":
        assert "请" in item.message, "an error must say how to fix it"


FORMAT_NAMES = re.compile(
    r"(?<![A-Za-z])(?:xlsx|xlsm|xlsb|xls|xml|ods|csv|CSV|zip|rar|7z|ZIP|XML|DTD|YAML|JSON|Excel|WPS|LibreOffice|"
    r"Windows|Office|OLE|VelvetSweatshop|Microsoft|GB/T|ODR|N/A|scores\.json|SpreadsheetML|sha256|Tab|TAB|"
    r"xx|et|Noto Sans CJK SC|templates|j2|Word|BOM|NaN|README|score --values)(?![A-Za-z])"
)


@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_a_message_names_no_internal_sheet_or_identifier(code):
    """Office staff read these: a hidden sheet's name (「_meta」) or a code word means nothing to them."""
    template = re.sub(r"{\w+}", "", CATALOGUE[code][1])
    assert "_meta" not in template
    assert not re.findall(r"[A-Za-z_]{2,}", FORMAT_NAMES.sub("", template)), template


@pytest.mark.parametrize("code", sorted(FATAL))
def test_fatal_error_code_is_raised_and_formats(code):
    text = _text("yongji_xls", skip="issues.py")
    raised = (
        f'YongjiError("{code}"',
        f'fatal_code = "{code}"',
        f'super().__init__("{code}"',
    )  # ProblemsError, InputError
    assert any(form in text for form in raised), f"{code} is never raised"
    fields = set(re.findall(r"{(\w+)}", FATAL[code]))
    e = YongjiError(code, **{f: "甲" for f in fields})
    assert e.code == code and str(e) == e.message and "{" not in e.message
    assert re.search(r"[\u4e00-\u9fff]", e.message)


def test_a_fatal_error_is_built_from_its_code_and_parameters_only():
    e = YongjiError("deadline_invalid", deadline="2025-13-01")
    assert e.message == "截止日期「2025-13-01」无效，请按2025-03-31格式填写" and e.params == {"deadline": "2025-13-01"}
    with pytest.raises(KeyError):
        YongjiError("截止日期无效")
    with pytest.raises(KeyError):
        YongjiError("deadline_invalid")  # a missing parameter is a programming error, not a blank in the message


@pytest.mark.parametrize(
    ("typed", "quoted"), [(-1.0, "「-1」"), (826.0, "「826」"), (1280000000.0, "「1280000000」"), (0.86, "「0.86」")]
)
def test_a_whole_number_is_quoted_as_typed_not_as_a_float(typed, quoted):
    said = issue("value_negative", file="甲.xlsx", sheet="数据填报", cell="G7", key="k", value=typed)
    assert quoted in said.message and ".0」" not in said.message


@pytest.mark.parametrize("code", sorted(set(REFUSALS) - {"withheld", "file_unusable"}))  # the run's own two
def test_a_refusal_phrase_belongs_to_an_error_that_refuses_a_figure(code):
    """The phrase that says why an owner's figure was not accepted (tester defect D6) is keyed by
    the error that refused it; a phrase for a code that is no error would never be said."""
    assert CATALOGUE[code][0] == "error" or code == "value_part_tiny"  # a warning whose figure is withheld
    said = refusal(code, 3000.0)
    assert said.startswith("「3000」") and re.fullmatch(r"「3000」[\u4e00-\u9fffExcel0-9到，]+", said)


def test_a_refusal_without_a_typed_value_says_only_why():
    assert refusal("value_formula_no_cache") == "是没有保存计算结果的公式"
    assert refusal("some_other_error", "x") == "「x」有误"
