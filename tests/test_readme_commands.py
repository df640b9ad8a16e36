"""The README's command table agrees with ``--help``: every command has a row, every option a row
names exists, and every option a command takes is in its row (``--system``/``--config`` are
described once for all commands)."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from yongji_xls.cli import main

ROOT = Path(__file__).resolve().parents[1]
_ROW = re.compile(r"^\| `yongji-xls ([a-z]+)((?: [a-z]+)?)(.*?)` \|")
SHARED = {"--help", "--system", "--config"}


def _readme_rows() -> dict[str, set[str]]:
    rows = {}
    for line in (ROOT / "README.md").read_text("utf-8").splitlines():
        m = _ROW.match(line)
        if m:
            name = m.group(1) + m.group(2) if m.group(1) == "system" else m.group(1)
            rows[name] = set(re.findall(r"--[a-z][a-z-]*", m.group(2) + m.group(3)))
    return rows


def _commands(group: click.Group, prefix: str = "") -> dict[str, click.Command]:
    out: dict[str, click.Command] = {}
    for name, cmd in group.commands.items():
        if isinstance(cmd, click.Group):
            out.update(_commands(cmd, f"{prefix}{name} "))
        else:
            out[prefix + name] = cmd
    return out


COMMANDS = _commands(main)


def test_every_command_has_a_row_and_every_row_a_command():
    assert set(_readme_rows()) == set(COMMANDS)


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_row_options_match_help(name):
    cmd = COMMANDS[name]
    result = CliRunner().invoke(main, [*name.split(), "--help"])
    assert result.exit_code == 0 and (cmd.help or "").strip()
    taken = {o for p in cmd.params for o in p.opts if o.startswith("--")}
    assert all(o in result.output for o in taken)
    row = _readme_rows()[name]
    assert row - taken == set(), f"README names options `{name}` does not take"
    assert taken - SHARED - row == set(), f"`{name}` takes options the README row does not name"


def test_the_shared_options_are_described_once():
    text = (ROOT / "README.md").read_text("utf-8")
    assert "每条命令都可加 `--config 单位配置.xlsx`" in text and "`--system 指标体系`" in text
