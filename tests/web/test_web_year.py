"""The web overview's year-on-year column: a workspace that held last year's 结果 keeps them in
往年结果/ and compares every later run with them."""

from __future__ import annotations

import shutil
from pathlib import Path

from web_support import SAMPLES, Client

from yongji_xls.web.server import start
from yongji_xls.web.workspace import PAST_RESULTS, RESULTS, RETURNS, Workspace

PREVIOUS = Path(__file__).resolve().parents[2] / "sample_previous" / "scores.json"


def test_the_overview_compares_with_the_workspaces_earlier_results(tmp_path):
    root = tmp_path / "示范区自评"
    (root / RESULTS).mkdir(parents=True)
    shutil.copyfile(PREVIOUS, root / RESULTS / "scores.json")  # last year's run, left in the workspace
    shutil.copytree(SAMPLES, root / RETURNS)
    running = start(Workspace(root, year=2024), host="127.0.0.1", port=0)
    try:
        running.workspace.wait(300)
        assert running.workspace.job.error == ""
        kept = root / PAST_RESULTS / "2023年度" / "scores.json"
        assert kept.read_bytes() == PREVIOUS.read_bytes()
        status, html = Client(running).get("/")
        assert status == 200
        assert '<div class="rule-text" id="year-on-year">较上年提高11分（2023年度76分）</div>' in html
        assert "<h2>历年对比</h2>" in html and '<td>规范监管</td><td class="num">80%</td>' in html
        assert '<td class="num">96%</td><td>提高16个百分点</td>' in html  # 规范监管 80 % → 96 %
        running.workspace.start_run()  # this year's scores.json has replaced last year's in 结果/
        running.workspace.wait(300)
        assert "较上年提高11分（2023年度76分）" in Client(running).get("/")[1]
    finally:
        running.workspace.wait(120)
        running.stop()


def test_without_earlier_results_the_overview_has_no_comparison(tmp_path):
    root = tmp_path / "示范区自评"
    shutil.copytree(SAMPLES, root / RETURNS)
    running = start(Workspace(root, year=2024), host="127.0.0.1", port=0)
    try:
        running.workspace.wait(300)
        html = Client(running).get("/")[1]
        assert "较上年" not in html and "历年对比" not in html and "自评总分" in html
    finally:
        running.workspace.wait(120)
        running.stop()
