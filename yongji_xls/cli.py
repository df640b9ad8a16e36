"""The command line: thin. Parse options, call one library function, print Chinese, map errors.

Heavy libraries are imported inside the commands that need them, so ``--help`` stays fast.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from . import __version__


def _spec():
    from .api import load_system

    return _guard(load_system)


def _references(path: str | None):
    from .api import load_references

    return _guard(load_references, path)


def _guard(fn, *args, **kwargs):  # noqa: ANN001, ANN202 - any api function
    """Call an api function; its fatal YongjiError becomes click's error message."""
    from .issues import YongjiError

    try:
        return fn(*args, **kwargs)
    except YongjiError as e:
        raise click.ClickException(e.message) from e


def _echo(text: str = "", err: bool = False) -> None:
    click.echo(text, err=err)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="yongji-xls")
def main() -> None:
    """永济市网络市场监管与服务示范区创建自评工具：生成填报模板、汇总校验、计分、出具报告。"""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure") and (stream.encoding or "").lower() not in ("utf-8", "utf8"):
            try:
                stream.reconfigure(encoding="utf-8", errors="replace")
            except (ValueError, OSError):
                pass


@main.command("spec")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True, help="输出格式：表格或JSON。")
def spec_cmd(fmt: str) -> None:
    """显示指标体系（41项三级指标、分值、责任单位）。"""
    from .spec_view import spec_as_dict, spec_table

    spec = _spec()
    if fmt == "json":
        _echo(json.dumps(spec_as_dict(spec), ensure_ascii=False, indent=2))
    else:
        _echo(spec_table(spec))


@main.command("score")
@click.option("--values", "values_path", required=True, type=click.Path(dir_okay=False), help="已汇总数据的JSON文件。")
@click.option("--out", "out_path", required=True, type=click.Path(dir_okay=False), help="输出的scores.json路径。")
@click.option("--reference", "reference", type=click.Path(dir_okay=False), help="全国参考值YAML文件（national.名称@年份: 数值）。")
@click.option("--year", type=int, help="评估年度（默认取数据文件中的year）。")
@click.option("--region", type=click.Choice(["东部", "中部", "西部"]), help="地区（默认取数据文件中的region）。")
def score_cmd(values_path: str, out_path: str, reference: str | None, year: int | None, region: str | None) -> None:
    """对已汇总的数据计分（不读Excel），写出scores.json。"""
    from .api import score_values
    from .atomic import write_text
    from .scoring_io import scores_document
    from .summary import summary_lines

    spec = _spec()
    refs = _references(reference)
    card, issues = _guard(score_values, values_path, spec=spec, references=refs, year=year, region=region)
    doc = scores_document(card, issues)
    write_text(out_path, json.dumps(doc, ensure_ascii=False, indent=2))
    for i in issues:
        _echo(f"[{i.severity}] {i.key}：{i.message}", err=True)
    for line in summary_lines(card):
        _echo(line)
    _echo(f"已写出：{out_path}")


def _run(in_dir: Path, out_dir: Path, year: int | None, region: str | None, reference: str | None, review: str | None, csv: bool = False) -> None:
    from . import api
    from .summary import run_summary_lines

    spec = _spec()
    refs = _references(reference)
    _guard(api.check_dirs, in_dir, out_dir)
    bar = None

    def progress(n: int, total: int, name: str) -> None:
        nonlocal bar
        if total < 60:
            return
        if bar is None:
            bar = click.progressbar(length=total, label="读取报送文件", file=sys.stderr)
            bar.__enter__()
        bar.update(1)
        if n == total:
            bar.__exit__(None, None, None)

    from .write_stage import start_helper

    start_helper()  # the Word report's process starts while the files are read
    result = _guard(api.run, in_dir, spec=spec, year=year, region=region, references=refs, review=review, progress=progress)
    written = _guard(api.write_outputs, result, out_dir)
    paths = written.paths
    if csv:
        from .frames import write_csv

        paths.update(write_csv(result, out_dir / "数据表"))
    for line in run_summary_lines(result):
        _echo(line)
    _echo("输出文件：")
    for key in ("breakdown", "report", "scores"):
        if key in paths:
            _echo(f"  {paths[key]}")
    if csv:
        _echo(f"  {out_dir / '数据表'}（CSV：原始数据、指标得分、单位指标责任矩阵）")
    if paths.get("feedback_dir"):
        _echo(f"  {paths['feedback_dir']}（各单位问题反馈表）")
    failed = [i for i in written.issues if i.code.startswith("output_")]
    if failed:
        raise click.ClickException("\n".join(i.text for i in failed))


@main.command("templates")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path), help="模板输出文件夹。")
@click.option("--year", type=int, help="评估年度，默认2024。")
@click.option("--deadline", help="报送截止日期，如2025-03-31（写入填报说明）。")
@click.option("--unit", "units", multiple=True, help="只生成指定单位的模板（可重复；可用简称，如市商务局）。")
@click.option("--prefill", "prefill", type=click.Path(exists=True, path_type=Path),
              help="上次运行的输出文件夹或其中的scores.json：已知数据预填到模板（浅蓝色“已预填”，批注注明来源，可修改）。")
def templates_cmd(out_dir: Path, year: int | None, deadline: str | None, units: tuple[str, ...], prefill: Path | None) -> None:
    """为各责任单位生成填报模板（每单位一个.xlsx，只含本单位的指标、数据项、评分要点和重点任务）。"""
    from .api import write_templates

    spec = _spec()
    paths = _guard(write_templates, out_dir, spec=spec, year=year, deadline=deadline, units=units, prefill=prefill)
    for p in paths:
        _echo(f"  {p}")
    _echo(f"已生成{len(paths)}个填报模板：{out_dir}")


@main.command("run")
@click.argument("in_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path), help="输出文件夹（不能位于输入文件夹内）。")
@click.option("--year", type=int, help="评估年度，默认2024。")
@click.option("--region", type=click.Choice(["东部", "中部", "西部"]), help="地区，默认中部（山西）。")
@click.option("--reference", type=click.Path(dir_okay=False), help="全国参考值YAML文件。")
@click.option("--review", type=click.Path(dir_okay=False), help="已填写“核定”表的任务分解表，用于人工核定得分。")
@click.option("--csv", is_flag=True, help="另存CSV数据表（原始数据、指标得分、单位指标责任矩阵），供分析使用。")
def run_cmd(in_dir: Path, out_dir: Path, year: int | None, region: str | None, reference: str | None, review: str | None, csv: bool) -> None:
    """汇总文件夹中各单位报送的工作簿：校验、合并、计分，输出任务分解表、自评报告和scores.json。"""
    _run(in_dir, out_dir, year, region, reference, review, csv)


@main.command("demo")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path), help="输出文件夹。")
def demo_cmd(out_dir: Path) -> None:
    """用随程序附带的示例工作簿（sample_workbooks）演示一次完整的汇总计分。"""
    from .data_paths import bundled

    try:
        samples = bundled("sample_workbooks")
    except FileNotFoundError as e:
        raise click.ClickException(str(e)) from e
    _echo(f"示例工作簿：{samples}")
    _run(samples, out_dir, None, None, None, None)


if __name__ == "__main__":  # pragma: no cover
    main()
