"""``--help`` is read by office staff: every word of it Chinese except the command and flag names
they type, the choices they type, and the names of file formats."""

from __future__ import annotations

import re

import click
from click.testing import CliRunner

from yongji_xls.cli import main

TYPED = re.compile(r"(?<![\w-])--?[a-z][a-z-]*|yongji-xls|python -m yongji_xls")
NAMES = re.compile(
    r"(?<![A-Za-z])(?:scores\.json|YAML|JSON|CSV|Excel|WPS|Windows|GB/T|xlsx|xls|zip|json|yaml|csv|"
    r"sample_workbooks|GB2312|gb|windows|table|utf-8)(?![A-Za-z])"
)
LATIN = re.compile(r"[A-Za-z]{2,}")


def _commands(group: click.Group, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = [path]
    for name, cmd in group.commands.items():
        found += _commands(cmd, (*path, name)) if isinstance(cmd, click.Group) else [(*path, name)]
    return found


def _foreign(text: str) -> list[str]:
    """Latin words left once flags, command names, choices and format names are taken out."""
    commands = {name for path in _commands(main) for name in path}
    words = LATIN.findall(NAMES.sub("", TYPED.sub("", text)))
    return [w for w in words if w not in commands]


def test_every_help_page_is_chinese_but_for_what_is_typed():
    pages = {}
    for path in _commands(main):
        for flag in ("--help", "-h"):
            r = CliRunner().invoke(main, [*path, flag], prog_name="yongji-xls", terminal_width=100)
            assert r.exit_code == 0, (path, r.output)
            pages[" ".join(path) or "(总览)"] = r.output
    assert len(pages) >= 10
    leaked = {name: _foreign(text) for name, text in pages.items() if _foreign(text)}
    assert leaked == {}, leaked
    run = pages["run"]
    assert run.startswith("用法：yongji-xls run [选项] 输入文件夹")
    assert "选项：" in run and "（必填）" in run and "（默认：gb）" in run and "显示本说明并退出。" in run
    assert "命令：" in pages["(总览)"] and "显示版本号并退出。" in pages["(总览)"]


def test_the_version_is_said_in_chinese():
    from yongji_xls import __version__

    r = CliRunner().invoke(main, ["--version"], prog_name="yongji-xls")
    assert r.exit_code == 0 and r.output.strip() == f"yongji-xls 版本 {__version__}"


def test_the_detector_finds_what_click_writes_in_english():
    english = "Usage: yongji-xls run [OPTIONS] IN_DIR\n\nOptions:\n  --out DIRECTORY  输出  [required]\n"
    assert _foreign(english) == ["Usage", "OPTIONS", "IN", "DIR", "Options", "DIRECTORY", "required"]


def test_help_lines_fit_the_console_and_columns_align_by_display_width():
    from yongji_xls.cli_help import CLOSING, width

    r = CliRunner().invoke(main, ["run", "--help"], prog_name="yongji-xls", terminal_width=80)
    lines = r.output.splitlines()
    assert max(width(line) for line in lines) <= 80  # click's own wrap counts a Chinese character as one column
    options = lines[lines.index("选项：") + 1 :]
    starts = set()
    for line in options:
        if line.startswith("  -"):
            term, _, text = line[2:].partition("  ")
            starts.add(2 + width(term) + len(text) - len(text.lstrip()) + 2)
        else:
            starts.add(len(line) - len(line.lstrip()))
        assert line.strip()[0] not in CLOSING, line
    assert len(starts) == 1, starts


def test_wrap_keeps_every_character_and_breaks_no_latin_word():
    from yongji_xls.cli_help import CLOSING, width, wrap

    text = "报告字体：gb为GB/T 9704字体（仿宋_GB2312等，未安装时按声明改用仿宋/楷体/宋体），windows为Windows自带字体。"
    for columns in range(12, 60, 7):
        lines = wrap(text, columns)
        assert "".join(lines).replace(" ", "") == text.replace(" ", "")
        assert all(width(line.rstrip("".join(CLOSING))) <= columns for line in lines), (columns, lines)
        assert not any(
            line[-1:].isascii() and line[-1:].isalpha() and nxt[:1].isascii() and nxt[:1].isalpha()
            for line, nxt in zip(lines, lines[1:])
        ), lines


def test_a_closing_mark_takes_the_whole_word_before_it_down():
    from yongji_xls.cli_help import wrap

    text = "指标体系：YAML文件夹，或由 system export 导出并修改的.xlsx；默认2022年版。"
    for columns in range(20, 70):
        lines = wrap(text, columns)
        assert all(not line.startswith("；") for line in lines), lines
        assert not any(a.endswith(".xls") or b.startswith("x；") for a, b in zip(lines, lines[1:])), lines


def test_every_command_has_a_summary_on_the_overview():
    r = CliRunner().invoke(main, ["--help"], prog_name="yongji-xls", terminal_width=80)
    commands = r.output.split("命令：", 1)[1].splitlines()
    summaries = {
        line.split()[0]: line.split(maxsplit=1)[1] for line in commands if line.startswith("  ") and line[2] != " "
    }
    assert set(summaries) == set(main.commands) and not [n for n, s in summaries.items() if "..." in s]
    assert summaries["serve"].startswith("在浏览器中使用本工具：上传报送文件、查看得分和问题")
