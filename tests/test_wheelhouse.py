"""The offline install: build this platform's wheelhouse, install it into a fresh venv with no
package index by running its install.sh, and run the demo from there (the installed copy, not
this source tree). install.bat's logic is checked in test_packaging.py (no Windows here)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from yongji_xls import api
from yongji_xls.scoring.scorecard import number

pytestmark = pytest.mark.slow  # builds and installs the wheelhouse

ROOT = Path(__file__).resolve().parents[1]


def _bin(venv: Path, name: str) -> Path:
    return venv / ("Scripts" if os.name == "nt" else "bin") / (name + (".exe" if os.name == "nt" else ""))


def test_the_wheelhouse_installs_with_no_index_and_runs_the_demo(tmp_path):
    house = tmp_path / "离线安装包"
    build = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "build_wheelhouse.py"), str(house), "--platform-only"],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert build.returncode == 0, build.stderr[-2000:]
    wheels = {p.name.split("-")[0].lower() for p in house.glob("*.whl")}
    assert {"yongji_xls", "flask", "openpyxl", "pandas", "python_calamine"} <= wheels
    assert "--no-index --find-links" in (house / "install.sh").read_text("utf-8")
    bat = (house / "install.bat").read_bytes()
    assert b"\r\n" in bat and b"--no-index --find-links" in bat
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "PYTHONPATH"))}
    env["PIP_CONFIG_FILE"] = os.devnull  # no index from a config file either
    install = subprocess.run(  # the wheelhouse's own install.sh, with the fresh venv's Python
        ["sh", str(house / "install.sh")],
        capture_output=True,
        text=True,
        timeout=900,
        env={**env, "PYTHON": str(_bin(venv, "python"))},
        cwd=tmp_path,
    )
    assert install.returncode == 0, install.stdout[-2000:] + install.stderr[-2000:]
    out = tmp_path / "演示输出"
    demo = subprocess.run(
        [str(_bin(venv, "yongji-xls")), "demo", "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
        cwd=tmp_path,
        encoding="utf-8",
    )
    assert demo.returncode == 0, demo.stderr[-2000:]
    where = subprocess.run(
        [
            str(_bin(venv, "python")),
            "-c",
            "import yongji_xls, flask; from yongji_xls.files.data_paths import bundled;"
            "from yongji_xls.report.templates_path import templates_dir;"
            "print(yongji_xls.__file__, bundled('sample_workbooks'), templates_dir(), bundled('sample_previous'),"
            " sep='\\n')",
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        check=True,
    )
    package, samples, wording, previous = (Path(line) for line in where.stdout.strip().splitlines())
    assert str(venv) in str(package)  # the installed copy ran, not this checkout
    assert samples == package.parent / "_bundled" / "sample_workbooks" and wording.parent == samples.parent
    assert previous == samples.parent / "sample_previous" and (previous / "scores.json").is_file()
    assert "历年对比：总分较上年" in demo.stdout  # the installed demo found last year's results
    assert len(list(samples.glob("*.xls*"))) == len(list((ROOT / "sample_workbooks").glob("*.xls*")))
    doc = json.loads((out / "scores.json").read_text("utf-8"))
    here = api.run(ROOT / "sample_workbooks").card
    assert doc["total"] == number(here.total) and doc["passed"] == here.passed and len(doc["indicators"]) == 41
    assert (out / "任务分解表_2024年度.xlsx").is_file() and (out / "自评报告_2024年度.docx").is_file()
