"""`rollup` over several years of the same counties: the latest year is compared, the earlier years
are each county's trend (a sheet and a sentence), never mixed into the matrix or set apart."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from scenarios import full_values, without

from yongji_xls.api import init_office
from yongji_xls.cli import main
from yongji_xls.scoring.display import show

YEARS = (2022, 2023, 2024)
LOST = {  # county -> criteria not done in each year (fewer as the creation period goes on)
    "临猗县": (("I12.1", "I12.2", "I28.1", "I28.2", "I28.3"), ("I12.1", "I12.2"), ("I12.1",)),
    "万荣县": (("I13.2",), ("I13.2", "I36.1"), ("I13.2",)),
}


def _score(folder: Path, values: dict, year: int, config: Path) -> dict:
    folder.mkdir(parents=True)
    data = folder / "values.json"
    data.write_text(json.dumps({"year": year, "region": "中部", "values": values}, ensure_ascii=False), "utf-8")
    args = ["score", "--values", str(data), "--out", str(folder / "scores.json"), "--config", str(config)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    data.unlink()
    return json.loads((folder / "scores.json").read_text("utf-8"))


@pytest.fixture(scope="module")
def city(tmp_path_factory) -> tuple[Path, dict]:
    base = tmp_path_factory.mktemp("trend")
    docs: dict[str, dict[int, dict]] = {}
    for county, lost in LOST.items():
        config = init_office(base / "配置" / county, county, from_yongji=True)
        for year, keys in zip(YEARS, lost):
            values = without(full_values(), *keys)
            docs.setdefault(county, {})[year] = _score(base / "上报" / f"{year}年度" / county, values, year, config)
    config = init_office(base / "配置" / "稷山县", "稷山县", from_yongji=True)
    _score(base / "上报" / "2023年度" / "稷山县", full_values(), 2023, config)  # no 2024: set apart as before
    result = CliRunner().invoke(main, ["rollup", str(base / "上报"), "--out", str(base / "汇总")])
    assert result.exit_code == 0, result.output
    return base, docs


def test_the_latest_year_is_compared_and_earlier_years_are_trends_not_exclusions(city):
    base, _ = city
    wb = openpyxl.load_workbook(base / "汇总" / "运城市各县（市、区）自评汇总_2024.xlsx")
    header = [c.value for c in wb["指标得分"][3]]
    assert header[4:6] == ["临猗县", "万荣县"] or header[4:6] == ["万荣县", "临猗县"]
    excluded = [r[0] for r in wb["未纳入汇总"].iter_rows(min_row=4, values_only=True) if r[0]]
    assert excluded == ["稷山县"]  # a county with no result of the compared year


def test_the_trend_sheet_gives_each_countys_totals_by_year(city):
    base, docs = city
    ws = openpyxl.load_workbook(base / "汇总" / "运城市各县（市、区）自评汇总_2024.xlsx")["历年趋势"]
    rows = [r for r in ws.iter_rows(min_row=3, values_only=True)]
    assert list(rows[0][:4]) == ["县（市、区）", "2022年度总分", "2023年度总分", "2024年度总分"]
    by_county = {r[0]: r for r in rows[1:] if r[0]}
    assert set(by_county) == set(LOST)
    for county, years in docs.items():
        row = by_county[county]
        assert list(row[1:4]) == [years[y]["total"] for y in YEARS]
        change = Fraction(str(years[2024]["total"])) - Fraction(str(years[2023]["total"]))
        word = "提高" if change > 0 else "降低" if change < 0 else "持平"
        assert row[4] == f"较上年{word}{show(abs(change))}分" if change else row[4] == "较上年持平"


def test_the_summary_says_each_countys_progress(city):
    base, docs = city
    from docx import Document

    body = [p.text for p in Document(str(base / "汇总" / "运城市各县（市、区）自评汇总_2024.docx")).paragraphs]
    assert any(p.endswith("、历年变化") for p in body)
    linyi = docs["临猗县"]
    totals = "、".join(f"{y}年度{show(Fraction(str(linyi[y]['total'])))}分" for y in YEARS)
    gain = Fraction(str(linyi[2024]["total"])) - Fraction(str(linyi[2023]["total"]))
    assert gain > 0
    verdict = "仍合格" if linyi[2023]["passed"] and linyi[2024]["passed"] else ""
    sentence = next(p for p in body if p.startswith("临猗县："))
    assert sentence.startswith(f"临猗县：{totals}，较上年提高{show(gain)}分，")
    assert verdict in sentence
    wanrong = next(p for p in body if p.startswith("万荣县："))
    rise = Fraction(str(docs["万荣县"][2024]["total"])) - Fraction(str(docs["万荣县"][2023]["total"]))
    assert rise > 0 and f"较上年提高{show(rise)}分" in wanrong
