"""Fatal errors of the library face: each refused input has its own code and a located sentence."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from yongji_xls import api
from yongji_xls.cli import main
from yongji_xls.issues import YongjiError


def _code(call, *args, **kwargs) -> YongjiError:
    with pytest.raises(YongjiError) as caught:
        call(*args, **kwargs)
    return caught.value


def test_folders_are_checked_before_anything_is_read(tmp_path: Path) -> None:
    in_dir = tmp_path / "报送"
    assert _code(api.check_dirs, in_dir, tmp_path / "out").code == "input_dir_missing"
    in_dir.mkdir()
    inside = _code(api.check_dirs, in_dir, in_dir / "输出")
    assert inside.code == "output_inside_input" and str(in_dir) in inside.message
    a_file = tmp_path / "结果.txt"
    a_file.write_text("x", "utf-8")
    assert _code(api.check_dirs, in_dir, a_file).code == "output_not_dir"
    api.check_dirs(in_dir, tmp_path / "新建" / "输出")
    assert (tmp_path / "新建" / "输出").is_dir() and not (in_dir / "输出").exists()


def test_each_refused_data_file_names_itself(tmp_path: Path) -> None:
    ref = tmp_path / "参考值.yaml"
    ref.write_text("national.online_retail_growth@2024: [1\n", "utf-8")
    err = _code(api.read_references, ref)
    assert err.code == "references_invalid"
    assert err.message.startswith("参考值文件有误：\n  - 参考值文件「参考值.yaml」")
    assert _code(api.load_references, ref).code == "references_invalid"
    system = _code(api.load_system, tmp_path / "没有这个文件夹")
    assert system.code == "system_invalid" and "没有这个文件夹" in system.message
    values = tmp_path / "values.json"
    values.write_text("{", "utf-8")
    assert _code(api.score_values, values).code == "values_invalid"
    assert _code(api.write_templates, tmp_path / "t", prefill=tmp_path / "无").code == "prefill_invalid"


def test_the_cli_prints_the_sentence_of_a_bad_reference_file(tmp_path: Path) -> None:
    in_dir = tmp_path / "in"
    in_dir.mkdir()
    ref = tmp_path / "参考值.yaml"
    ref.write_text("", "utf-8")
    r = CliRunner().invoke(main, ["run", str(in_dir), "--out", str(tmp_path / "out"), "--reference", str(ref)])
    assert r.exit_code == 2 and "参考值文件有误" in r.output and "指标体系数据有误" not in r.output
    assert "Traceback" not in r.output


def _spec_folder(tmp_path: Path, broken: dict[str, bytes]) -> Path:
    """A copy of the shipped YAML folder with some files replaced (the office's edited system)."""
    from importlib.resources import files

    folder = tmp_path / "指标体系"
    folder.mkdir(parents=True)
    for name in ("system", "units", "fields", "indicators", "national"):
        shipped = files("yongji_xls.system").joinpath("data", f"{name}.yaml").read_bytes()
        (folder / f"{name}.yaml").write_bytes(broken.get(name, shipped))
    return folder


def test_a_system_folder_with_a_yaml_mistake_names_the_file_and_line(tmp_path: Path) -> None:
    folder = _spec_folder(tmp_path, {"fields": b"fields:\n  - key: online_retail\n    label: [\n"})
    problems = api.check_system(folder)  # `spec --system`: listed, not a traceback
    assert len(problems) == 1 and "fields.yaml" in problems[0] and "第4行不是有效的YAML" in problems[0]
    err = _code(api.load_system, folder)  # `run --system` and every other command
    assert err.code == "system_invalid" and str(folder / "fields.yaml") in err.message

    gbk = _spec_folder(tmp_path / "gbk", {"units": "office:\n  city: 永济市\n".encode("gbk")})
    assert "units.yaml」不是UTF-8编码的文本" in _code(api.load_system, gbk).message


def test_a_system_folder_missing_files_is_refused_with_the_names(tmp_path: Path) -> None:
    folder = _spec_folder(tmp_path, {})
    (folder / "national.yaml").unlink()
    err = _code(api.check_system, folder)
    assert err.code == "system_invalid" and "缺少national.yaml" in err.message
    r = CliRunner().invoke(main, ["spec", "--system", str(folder)])
    assert r.exit_code == 2 and "缺少national.yaml" in r.output and "Traceback" not in r.output


def test_json_inputs_nested_too_deep_or_not_utf8_are_sentences(tmp_path: Path) -> None:
    """Arrays nested 100 000 deep make the json module raise RecursionError; a file saved as GBK
    raises UnicodeDecodeError on reading: both are the file's fault, said as such."""
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000, "utf-8")
    gbk = tmp_path / "gbk.json"
    gbk.write_bytes('{"values": "永济"}'.encode("gbk"))
    assert "括号嵌套过深" in _code(api.score_values, deep).message
    assert "不是UTF-8编码" in _code(api.score_values, gbk).message
    prefill = _code(api.write_templates, tmp_path / "t", prefill=deep)
    assert prefill.code == "prefill_invalid" and "括号嵌套过深" in prefill.message
    county = tmp_path / "各县" / "临猗县"
    county.mkdir(parents=True)
    (county / "scores.json").write_text("[" * 100_000, "utf-8")
    nothing = _code(api.rollup, tmp_path / "各县", tmp_path / "汇总")
    assert nothing.code == "rollup_nothing" and "RecursionError" in nothing.message


def test_a_reference_file_that_cannot_be_written_is_said_in_chinese(tmp_path):
    from yongji_xls import api

    folder = tmp_path / "参考值.yaml"
    folder.mkdir()  # where the file should go, a folder: the system's reason is English on most machines
    entry = {"national.mediation_success_rate@2024": ("85", "测试来源", "2025-01-01")}
    with pytest.raises(api.YongjiError) as caught:
        api.save_references(folder, entry, spec=api.load_system(), year=2024)
    said = str(caught.value).replace(str(folder), "")  # the path is what the user gave
    assert said.endswith("：这是一个文件夹") and not re.search(r"[A-Za-z]{3,}", said)
