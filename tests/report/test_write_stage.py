"""The write stage: guarded writers, the outputs of one run replacing the previous run's as one
set, and the previous set left untouched when the new one cannot be put in place."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import CONTACT, fill_workbook

from yongji_xls import api
from yongji_xls.cli import main
from yongji_xls.collect.run import run
from yongji_xls.report import write_stage
from yongji_xls.system.shares import unit_share

YEAR = 2024
GOOD_TAX = {"total_tax": 10000, "ecommerce_tax": 600}


def _digests(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.rglob("*") if p.is_file()
    }


def _broken_templates(tmp_path: Path) -> Path:
    broken = tmp_path / "tpl"
    broken.mkdir()
    for f in Path(__file__).resolve().parents[2].joinpath("templates").glob("*.j2"):
        extra = (
            "\n{{ no_such_variable }}\n" if f.name.startswith("report_") else ""
        )  # the reminder (breakdown) stays good
        (broken / f.name).write_text(f.read_text("utf-8") + extra, "utf-8")
    return broken


@pytest.fixture
def folder(templates, tmp_path):
    in_dir = tmp_path / "in"
    in_dir.mkdir()
    fill_workbook(
        templates["市税务局"], {"total_tax": "约10000", "ecommerce_tax": 600}, in_dir / "税务.xlsx", contact=CONTACT
    )
    return in_dir


def test_a_failing_writer_is_an_issue_and_the_others_are_written(spec, folder, tmp_path, monkeypatch):
    out = tmp_path / "out"
    first = api.write_outputs(run(spec, folder, YEAR), out)
    assert {"report", "breakdown", "scores", "税务.xlsx"} <= set(first.paths)
    monkeypatch.setenv("YONGJI_XLS_TEMPLATES", str(_broken_templates(tmp_path)))
    second = api.write_outputs(run(spec, folder, YEAR), out)
    assert "report" not in second.paths and {"breakdown", "brief", "scores", "税务.xlsx"} <= set(second.paths)
    failed = [i for i in second.issues if i.code == "output_template_bad"]
    assert len(failed) == 1 and "自评报告" in failed[0].message and "templates" in failed[0].message
    doc = json.loads((out / "scores.json").read_text("utf-8"))
    assert any(i["code"] == "output_template_bad" for i in doc["issues"])
    # the previous report is not left beside the new scores.json
    assert not (out / f"自评报告_{YEAR}年度.docx").exists()
    assert not [p for p in out.iterdir() if p.name.startswith(".yongji-new-") or p.name.startswith(".yongji-old-")]


def test_cli_names_the_failed_output_and_exits_nonzero(folder, tmp_path, monkeypatch):
    """With the report helper the CLI would start on an idle PC: the failure comes from it."""
    monkeypatch.setenv("YONGJI_XLS_TEMPLATES", str(_broken_templates(tmp_path)))
    monkeypatch.setenv("YONGJI_XLS_HELPER", "1")
    r = CliRunner().invoke(main, ["run", str(folder), "--out", str(tmp_path / "out")])
    assert r.exit_code == 1 and "报告措辞模板有误" in r.output and "其余成果已照常写出" in r.output
    assert (tmp_path / "out" / f"任务分解表_{YEAR}年度.xlsx").exists()


def test_second_run_leaves_no_stale_file_of_the_first(spec, templates, folder, tmp_path):
    out = tmp_path / "out"
    api.write_outputs(run(spec, folder, YEAR), out)
    assert (out / "反馈" / "市税务局_问题反馈.xlsx").exists()
    (out / "我的笔记.txt").write_text("office's own file", "utf-8")
    fill_workbook(templates["市税务局"], GOOD_TAX, folder / "税务.xlsx", contact=CONTACT)
    second = api.write_outputs(run(spec, folder, YEAR), out)
    assert not second.issues, [i.text for i in second.issues]
    assert not (out / "反馈").exists()  # the unit is fixed: no feedback left over
    assert (out / "我的笔记.txt").read_text("utf-8") == "office's own file"  # not ours: kept
    manifest = json.loads((out / write_stage.MANIFEST).read_text("utf-8"))
    assert sorted(manifest["files"]) == sorted(
        ["scores.json", f"任务分解表_{YEAR}年度.xlsx", f"自评报告_{YEAR}年度.docx", f"内部工作提示_{YEAR}年度.docx"]
    )
    # another year in the same folder replaces the 2024 set rather than sitting beside it
    api.write_outputs(run(spec, folder, 2025), out)
    assert not (out / f"任务分解表_{YEAR}年度.xlsx").exists() and (out / "任务分解表_2025年度.xlsx").exists()


def test_a_file_open_elsewhere_leaves_the_previous_set_untouched(spec, templates, folder, tmp_path, monkeypatch):
    out = tmp_path / "out"
    api.write_outputs(run(spec, folder, YEAR), out)
    before = _digests(out)
    fill_workbook(templates["市税务局"], GOOD_TAX, folder / "税务.xlsx", contact=CONTACT)
    real = os.replace

    def locked(src, dst):  # what Windows does to a workbook open in Excel: it cannot be moved
        if Path(src).name == f"任务分解表_{YEAR}年度.xlsx" and Path(src).parent == out:
            raise PermissionError(13, "Permission denied", str(src))
        return real(src, dst)

    monkeypatch.setattr(write_stage.os, "replace", locked)
    with pytest.raises(api.YongjiError) as e:
        api.write_outputs(run(spec, folder, YEAR), out)
    assert "正在Excel或WPS中打开" in e.value.message and "任务分解表" in e.value.message
    assert _digests(out) == before
    assert not [p for p in out.iterdir() if p.name.startswith(".yongji-")] or [
        p.name for p in out.iterdir() if p.name.startswith(".yongji-")
    ] == [write_stage.MANIFEST]


@pytest.mark.parametrize("parallel", [False, True])
def test_report_in_the_helper_process_gives_the_same_set(spec, folder, tmp_path, parallel):
    result = run(spec, folder, YEAR)
    with api.executor(helper=parallel) as executor:
        assert (executor.helper is not None) == parallel
        stage = write_stage.write_all(result, tmp_path / "out", executor)
    assert set(stage.timings) == {"breakdown", "feedback", "report", "brief", "scores"}
    assert stage.paths["report"].stat().st_size > 10000 and stage.paths["brief"].exists() and not stage.issues


def test_a_crashing_writer_and_one_bad_feedback_do_not_stop_the_rest(spec, templates, folder, tmp_path, monkeypatch):
    fill_workbook(templates["市邮政分公司"], {"express_volume@2024": "约1600"}, folder / "邮政.xlsx", contact=CONTACT)

    def crash(*args):
        raise RuntimeError("boom")

    from yongji_xls.workbook.write import feedback

    original = feedback.write_one

    def one_bad(result, sub, issues, path):
        if sub.unit == "市邮政分公司":
            raise ValueError("bad unit file")
        return original(result, sub, issues, path)

    monkeypatch.setattr(write_stage, "write_breakdown", crash)
    monkeypatch.setattr(feedback, "write_one", one_bad)
    w = api.write_outputs(run(spec, folder, YEAR), tmp_path / "out")
    codes = [(i.code, i.file) for i in w.issues]
    assert ("output_failed", "") in codes and ("output_failed", "邮政.xlsx") in codes
    assert "任务分解表未能生成" in next(i.message for i in w.issues if not i.file)
    assert (
        {"report", "brief", "scores", "税务.xlsx"} <= set(w.paths)
        and "breakdown" not in w.paths
        and "邮政.xlsx" not in w.paths
    )


def test_the_helper_writes_its_share_of_the_feedback_set(spec, templates, tmp_path):
    from yongji_xls.workbook.read.reader import read_workbook

    folder = tmp_path / "many"
    folder.mkdir()
    units = [
        "市税务局",
        "市邮政分公司",
        "市人社局",
        "市统计局",
        "市审批服务管理局",
        "市消费者协会",
        "市工科局（市商务局）",
    ]
    for n, unit in enumerate(units):  # one figure typed as 「约…」 in each: every unit gets feedback
        fill_workbook(
            templates[unit],
            {unit_share(spec, unit, YEAR).fields[0].key: "约100"},
            folder / f"{n}.xlsx",
            contact=CONTACT,
        )
    result = run(spec, folder, YEAR)
    serial = write_stage.write_all(result, tmp_path / "serial")
    with api.executor(helper=True) as executor:
        parallel = write_stage.write_all(result, tmp_path / "parallel", executor)
    assert sorted(k for k in parallel.paths if k.endswith(".xlsx")) == sorted(f"{n}.xlsx" for n in range(len(units)))
    assert set(serial.paths) == set(parallel.paths) and not parallel.issues
    for key, path in parallel.paths.items():
        if key.endswith(".xlsx"):
            a = read_workbook(spec, path, path.name, YEAR)
            b = read_workbook(spec, serial.paths[key], path.name, YEAR)
            assert a.unit == b.unit and a.rejected == b.rejected and a.rejected


def test_helper_only_when_a_second_core_is_free(monkeypatch):
    from yongji_xls import executor as ex

    monkeypatch.setattr(ex.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(ex.os, "getloadavg", lambda: (0.3, 0.2, 0.1), raising=False)
    monkeypatch.delenv(ex.HELPER_ENV, raising=False)
    assert ex.helper_pays() is True
    monkeypatch.setattr(ex.os, "getloadavg", lambda: (6.0, 5.0, 4.0), raising=False)
    assert ex.helper_pays() is False  # both cores busy: a second process only adds CPU
    monkeypatch.setenv(ex.HELPER_ENV, "1")
    assert ex.helper_pays() is True
    monkeypatch.setenv(ex.HELPER_ENV, "0")
    monkeypatch.setattr(ex.os, "getloadavg", lambda: (0.3, 0.2, 0.1), raising=False)
    assert ex.helper_pays() is False
    with api.executor() as executor:  # YONGJI_XLS_HELPER=0: no process is started
        assert executor.helper is None
    monkeypatch.delenv(ex.HELPER_ENV)
    monkeypatch.setattr(ex.os, "cpu_count", lambda: 1)
    assert ex.helper_pays() is False


def _exit_at_once() -> None:
    """A helper's warm-up that ends the process (top level, so spawn can import it)."""
    import os

    os._exit(3)


@pytest.mark.parametrize("when", ["before the job", "while writing"])
def test_a_helper_process_that_dies_costs_nothing(spec, folder, tmp_path, monkeypatch, when):
    """A helper that is dead when the job is sent, or dies while it writes, costs the run nothing:
    its share is written here and the executor drops it. (On Python 3.10 the old pool-based
    helper hung here: ``ProcessPoolExecutor.shutdown`` waited on a queue thread stuck writing
    the job to the dead worker.)"""
    from yongji_xls.executor import Executor

    result = run(spec, folder, YEAR)
    executor = Executor(helper=_exit_at_once if when == "before the job" else write_stage.warm, force_helper=True)
    if when == "while writing":
        breakdown = write_stage.write_breakdown

        def kill_the_helper_then_write(*args):  # the parent writes the breakdown while the helper works
            executor.helper._proc.kill()
            return breakdown(*args)

        monkeypatch.setattr(write_stage, "write_breakdown", kill_the_helper_then_write)
    with executor:
        assert executor.helper is not None
        stage = write_stage.write_all(result, tmp_path / "out", executor)
        after = executor.helper
    assert {"report", "breakdown", "scores", "税务.xlsx"} <= set(stage.paths) and not stage.issues
    assert after is None  # the broken helper was dropped: the rest of the caller's work is written here


def test_write_outputs_returns_what_it_wrote_and_leaves_the_result_alone(spec, folder, tmp_path, monkeypatch):
    """Writing the same result twice reports the same issues once each (it used to mutate the run result)."""
    monkeypatch.setattr(write_stage, "write_breakdown", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("坏了")))
    result = run(spec, folder, YEAR)
    report_before = list(result.report)
    first = api.write_outputs(result, tmp_path / "a")
    second = api.write_outputs(result, tmp_path / "b")
    assert [i.code for i in first.issues] == [i.code for i in second.issues] == ["output_failed"]
    assert list(result.report) == report_before and not hasattr(result, "output_issues")
    assert set(first.paths) == set(second.paths) and all(
        p.parent == tmp_path / "b" for k, p in second.paths.items() if k in ("scores", "report")
    )


@pytest.mark.parametrize("listed", ["../外面.txt", "反馈/../../外面.txt", "ABSOLUTE"])
def test_a_manifest_naming_a_file_outside_the_output_folder_is_not_followed(spec, folder, tmp_path, listed):
    """The previous set's manifest is a file in the output folder anyone could edit: a path that
    leaves the folder is never moved aside or deleted as part of the old set."""
    out = tmp_path / "out"
    out.mkdir()
    outside = tmp_path / "外面.txt"
    outside.write_text("not ours", "utf-8")
    listed = str(outside) if listed == "ABSOLUTE" else listed
    (out / write_stage.MANIFEST).write_text(json.dumps({"files": [listed, "scores.json"]}), "utf-8")
    assert write_stage._previous_set(out, write_stage.output_names(YEAR)) == [Path("scores.json")]
    api.write_outputs(run(spec, folder, YEAR), out)
    assert outside.read_text("utf-8") == "not ours"


_PARENT_MODULES = """
import sys
from pathlib import Path
from yongji_xls import api

def main():
    result = api.run(Path(sys.argv[1]), year=2024)
    with api.executor(helper=True) as executor:
        assert executor.helper is not None
        written = api.write_outputs(result, Path(sys.argv[2]), executor=executor)
    assert "report" in written.paths and "brief" in written.paths, written.issues
    print(" ".join(m for m in ("docx", "PIL") if m in sys.modules))

if __name__ == "__main__":
    main()
"""


def test_with_a_helper_the_parent_never_imports_the_word_writers(folder, tmp_path):
    """The helper writes the Word documents; python-docx (~0.1 s to import) stays out of the
    parent, whose reading and breakdown are the run's critical path."""
    import subprocess
    import sys

    script = tmp_path / "parent.py"
    script.write_text(_PARENT_MODULES, "utf-8")
    done = subprocess.run(
        [sys.executable, str(script), str(folder), str(tmp_path / "out")], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ""


def test_what_the_helper_could_not_write_is_in_scores_json_after_the_runs_own_issues(
    spec, folder, tmp_path, monkeypatch
):
    """scores.json is built while the helper finishes; the helper's failures still reach it, last."""
    monkeypatch.setenv("YONGJI_XLS_TEMPLATES", str(_broken_templates(tmp_path)))
    result = run(spec, folder, YEAR)
    with api.executor(helper=True) as executor:
        written = api.write_outputs(result, tmp_path / "out", executor=executor)
    assert [i.code for i in written.issues] == ["output_template_bad"] and "report" not in written.paths
    doc = json.loads((tmp_path / "out" / "scores.json").read_text("utf-8"))
    assert [i["code"] for i in doc["issues"]] == [i.code for i in result.report] + ["output_template_bad"]
