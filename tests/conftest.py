"""Shared fixtures: the shipped indicator system and one set of generated templates per session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from yongji_xls.executor import HELPER_ENV
from yongji_xls.system.load import load_spec
from yongji_xls.system.model import Spec

YEAR = 2024
DEADLINE = "2025-03-31"

# A run started by a test (the CLI, a web page) writes everything in its own process unless the
# test asks for the report helper (``helper=True`` or ``YONGJI_XLS_HELPER=1``): left to the load
# average, ~40 CLI runs would each start a helper on an idle or many-core machine and none on a
# busy one, so the same test would take another path from machine to machine.
os.environ.setdefault(HELPER_ENV, "0")


@pytest.fixture(scope="session")
def spec() -> Spec:
    return load_spec()


@pytest.fixture(scope="session")
def templates(tmp_path_factory: pytest.TempPathFactory, spec: Spec) -> dict[str, Path]:
    """Unit name -> its generated template (all 38, written once per session; do not modify)."""
    from yongji_xls.system.shares import all_shares
    from yongji_xls.workbook.write.template_writer import write_templates

    out = tmp_path_factory.mktemp("templates")
    paths = write_templates(spec, out, YEAR, DEADLINE)
    return dict(zip(all_shares(spec, YEAR), paths))


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory: pytest.TempPathFactory):
    """The sample workbooks run as on 2025-01-20, every output written (``demo_docs.demo_written``):
    once per session for the modules that only read the result and the files (do not modify)."""
    from demo_docs import demo_written

    return demo_written(tmp_path_factory.mktemp("demo"))


@pytest.fixture(scope="session")
def demo_cli(tmp_path_factory: pytest.TempPathFactory):
    """``yongji-xls demo --out …`` through click's runner, once per session: its output folder and
    the console text, for the tests that only read them (do not modify)."""
    from click.testing import CliRunner

    from yongji_xls.cli import main

    out = tmp_path_factory.mktemp("demo-cli") / "演示输出"
    result = CliRunner().invoke(main, ["demo", "--out", str(out)])
    return out, result
