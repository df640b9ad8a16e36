"""Keys in words: every kind of key reads as its Chinese name; what is no key of the system is
left alone; the leak detector finds what must not reach a reader and passes clean Chinese."""

from __future__ import annotations

import pytest
from leaks import leaks

from yongji_xls.system.words import words, words_in_text


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("online_retail@2023", "2023年网上零售额"),
        ("online_operators", "网络交易经营者数量（年末）"),
        ("national.mediation_success_rate@2024", "2024年全国网络消费纠纷调解成功率"),
        ("national.online_share@2023", "2023年全国网上零售额占社会消费品零售总额比重"),
        ("I01", "网上零售额同比增速"),
        ("I01@2023", "网上零售额同比增速（2023年）"),
        ("I25.2", "网络消费纠纷处理第2项评分要点"),
        ("I16.1", "健全规范网络执法办案制度机制评分要点"),
        ("I06.note", "网络市场消费贡献度（工作情况说明）"),
        ("T01", "重点任务1：加大政策扶持力度"),
    ],
)
def test_each_kind_of_key_reads_as_its_name(spec, key: str, expected: str) -> None:
    if key == "I25.2":  # the indicator's own name, whatever the data calls it
        expected = f"{spec.indicator('I25').name}第2项评分要点"
    assert words(spec, key) == expected


def test_a_criterion_in_detail_carries_its_own_text(spec) -> None:
    text = spec.criterion("I25.2").text
    assert words(spec, "I25.2", detail=True).endswith("：" + text)


def test_a_national_figure_without_a_label_reads_as_a_national_reference(spec) -> None:
    assert words(spec, "national.unknown_rate@2024") == "2024年全国参考值"


@pytest.mark.parametrize("text", ["I99", "I25.9", "T99", "I99.note", "not_a_field@2024", "已完成", "报送率97%"])
def test_what_is_no_key_of_the_system_comes_back_unchanged(spec, text: str) -> None:
    assert words(spec, text) == text


def test_keys_inside_a_sentence_are_put_in_words(spec) -> None:
    reason = "调解成功率85%，未超过national.mediation_success_rate@2024；online_retail@2023缺失"
    assert words_in_text(spec, reason) == "调解成功率85%，未超过2024年全国网络消费纠纷调解成功率；2023年网上零售额缺失"
    assert leaks(words_in_text(spec, reason)) == []


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("待核定：I25.2、I26.1。", ["I25.2", "I26.1"]),
        ("2023年（I01@2023）", ["I01@2023"]),
        ("缺少national.mediation_success_rate@2024", ["national.mediation_success_rate@2024"]),
        ("online_retail缺失", ["online_retail"]),
        ("请用 --reference 文件补充", ["--reference"]),
        ("运行 yongji-xls run 报送", ["yongji-xls", "run"]),
        ("本地ODR单位", ["ODR"]),
        ("见T03任务", ["T03"]),
    ],
)
def test_the_detector_finds_keys_flags_and_latin_words(text: str, found: list[str]) -> None:
    assert leaks(text) == found


@pytest.mark.parametrize(
    "text",
    ["网上零售额同比增长12.8%，高于全国11%", "请在Excel中打开后保存再报送", "附件1 评分明细", "（2025年1月28日）"],
)
def test_the_detector_passes_clean_chinese(text: str) -> None:
    assert leaks(text) == []


def test_allowed_latin_words_pass_only_where_allowed() -> None:
    assert leaks("统计局数据.xlsx") == ["xlsx"]
    assert leaks("统计局数据.xlsx", allow=["xlsx"]) == []
