"""Every message of the command line is Chinese (issue 20 §7, §8): every command run with bad
arguments — a missing option, an unknown option, a value of the wrong type, ``--out`` naming an
existing file, a missing input — exits 2 and prints nothing English but file names, flags and keys;
a broken indicator system exits 2 on every command, as ``spec`` does."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from yongji_xls.cli import main
from yongji_xls.system.load import SPEC_FILES

LATIN = re.compile(r"[A-Za-z]{2,}")
ALLOWED = {"Excel", "WPS", "yaml", "json", "xlsx", "YAML", "JSON"}


def english(text: str) -> list[str]:
    """Latin words left once quoted values (「…」), paths, flags and the command's name are taken out."""
    text = re.sub(r"「[^」]*」", " ", text)
    text = re.sub(r"(?:yongji-xls|python -m yongji_xls)(?: [a-z]+)*", " ", text)
    text = re.sub(r"--[a-z][a-z-]*", " ", text)
    text = re.sub(r"\S*[/\\]\S*", " ", text)  # a path
    return [w for w in LATIN.findall(text) if w not in ALLOWED]


@pytest.fixture()
def files(tmp_path):
    existing = tmp_path / "已有文件.txt"
    existing.write_text("x", "utf-8")
    folder = tmp_path / "in"
    folder.mkdir()
    return {
        "file": str(existing),
        "dir": str(folder),
        "missing": str(tmp_path / "没有这个"),
        "out": str(tmp_path / "out"),
    }


CASES = {
    "spec": [["--format", "xml"], ["--bogus"], ["--system"], ["--system", "{missing}"]],
    "score": [
        [],
        ["--values", "{missing}", "--out", "{out}.json"],
        ["--values", "{file}", "--out", "{out}.json", "--year", "二〇二四"],
        ["--values", "{file}", "--out", "{dir}"],
        ["--values", "{file}", "--out", "{out}.json", "--nope"],
    ],
    "run": [
        [],
        ["{dir}"],
        ["{missing}", "--out", "{out}"],
        ["{dir}", "--out", "{file}"],
        ["{dir}", "--out", "{out}", "--year", "abc"],
        ["{dir}", "--out", "{out}", "--fonts", "mac"],
        ["{dir}", "--out", "{out}", "--region", "北部"],
        ["{dir}", "--out", "{out}", "--reference", "{missing}"],
        ["{dir}", "--out", "{dir}/out"],
        ["{dir}", "--out", "{out}", "extra"],
    ],
    "templates": [[], ["--out", "{file}"], ["--out", "{out}", "--year", "x"], ["--out", "{out}", "--unit", "无此局"]],
    "demo": [[], ["--out", "{file}"], ["--out", "{out}", "--fonts", "x"]],
    "system export": [[], ["--out", "{dir}"], ["--out", "{out}.xlsx", "--system", "{missing}"]],
    "rollup": [[], ["{missing}", "--out", "{out}"], ["{dir}", "--out", "{file}"], ["{dir}"]],
    "init": [[], ["{out}"], ["{file}", "--city", "临猗县"], ["{out}", "--city", "临猗县", "--region", "北部"]],
    "serve": [["--port", "abc"], ["--bogus"]],
    "nosuch": [[]],
}


@pytest.mark.parametrize(
    ("command", "args"), [(c, a) for c, cases in CASES.items() for a in cases], ids=lambda x: " ".join(x) or "-"
)
def test_bad_arguments_exit_2_with_chinese_only(files, command, args):
    argv = [*command.split(), *(a.format(**files) for a in args)]
    result = CliRunner().invoke(main, argv, prog_name="yongji-xls")
    shown = result.output
    assert result.exit_code == 2, (argv, result.exit_code, shown)
    assert shown.strip(), argv
    assert not english(shown), (argv, shown)
    assert "Usage:" not in shown and "Error:" not in shown and "Traceback" not in shown


def test_a_broken_system_exits_2_on_every_command_that_loads_it(tmp_path):
    broken = tmp_path / "system"
    broken.mkdir()
    for name in SPEC_FILES:
        (broken / f"{name}.yaml").write_text("version: [", "utf-8")
    folder = tmp_path / "in"
    folder.mkdir()
    values = tmp_path / "v.json"
    values.write_text('{"year": 2024, "values": {}}', "utf-8")
    commands = {
        "spec": [],
        "run": [str(folder), "--out", str(tmp_path / "o1")],
        "templates": ["--out", str(tmp_path / "o2")],
        "score": ["--values", str(values), "--out", str(tmp_path / "s.json")],
        "system export": ["--out", str(tmp_path / "x.xlsx")],
        "rollup": [str(folder), "--out", str(tmp_path / "o3")],
    }
    for command, args in commands.items():
        result = CliRunner().invoke(main, [*command.split(), *args, "--system", str(broken)], prog_name="yongji-xls")
        shown = result.output
        assert result.exit_code == 2, (command, shown)
        assert "system.yaml" in shown and "第1行" in shown, (command, shown)
