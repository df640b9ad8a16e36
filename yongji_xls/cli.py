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
    from .spec_loader import SpecError, load_spec

    try:
        return load_spec()
    except SpecError as e:
        raise click.ClickException(str(e)) from e


def _references(path: str | None):
    if not path:
        return ()
    from .spec_loader import SpecError, load_references

    try:
        return load_references(path)
    except SpecError as e:
        raise click.ClickException(str(e)) from e


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
    from .atomic import write_text
    from .scoring_io import InputError, score_values_file, scores_document
    from .summary import summary_lines

    spec = _spec()
    refs = _references(reference)
    try:
        card, issues = score_values_file(spec, values_path, refs, year, region)
    except InputError as e:
        raise click.ClickException(str(e)) from e
    doc = scores_document(card, issues)
    write_text(out_path, json.dumps(doc, ensure_ascii=False, indent=2))
    for i in issues:
        _echo(f"[{i.severity}] {i.key}：{i.message}", err=True)
    for line in summary_lines(card):
        _echo(line)
    _echo(f"已写出：{out_path}")


def _run(in_dir: Path, out_dir: Path, year: int | None, region: str | None, reference: str | None, review: str | None, csv: bool = False) -> None:
    from .pipeline import check_dirs, run, write_outputs
    from .summary import run_summary_lines

    spec = _spec()
    refs = _references(reference)
    try:
        check_dirs(in_dir, out_dir)
    except ValueError as e:
        raise click.ClickException(str(e)) from e
    if review and not Path(review).is_file():
        raise click.ClickException(f"核定文件「{review}」不存在")
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

    result = run(spec, in_dir, year, region, refs, Path(review) if review else None, progress)
    try:
        paths = write_outputs(result, out_dir)
    except Exception as e:
        import jinja2

        from .report.docx_report import TemplateMarkupError

        if isinstance(e, (jinja2.TemplateError, TemplateMarkupError)):
            raise click.ClickException(f"报告措辞模板有误（{type(e).__name__}：{e}），已保留上次的输出。请检查 templates 文件夹中的 .j2 文件") from e
        if isinstance(e, PermissionError):
            raise click.ClickException(f"无法写入「{e.filename or out_dir}」：文件可能正在Excel或WPS中打开。请关闭后重新运行（上次的输出未被改动）") from e
        if isinstance(e, OSError):
            raise click.ClickException(f"无法写入输出文件夹「{out_dir}」：{e.strerror or e}。请检查磁盘空间和权限") from e
        raise
    if csv:
        from .frames import write_csv

        paths.update(write_csv(result, out_dir / "数据表"))
    for line in run_summary_lines(result):
        _echo(line)
    _echo("输出文件：")
    for key in ("breakdown", "report", "scores"):
        _echo(f"  {paths[key]}")
    if csv:
        _echo(f"  {out_dir / '数据表'}（CSV：原始数据、指标得分、单位指标责任矩阵）")
    if paths.get("feedback_dir"):
        _echo(f"  {paths['feedback_dir']}（各单位问题反馈表）")


@main.command("templates")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path), help="模板输出文件夹。")
@click.option("--year", type=int, help="评估年度，默认2024。")
@click.option("--deadline", help="报送截止日期，如2025-03-31（写入填报说明）。")
@click.option("--unit", "units", multiple=True, help="只生成指定单位的模板（可重复；可用简称，如市商务局）。")
def templates_cmd(out_dir: Path, year: int | None, deadline: str | None, units: tuple[str, ...]) -> None:
    """为各责任单位生成填报模板（每单位一个.xlsx，只含本单位的指标、数据项、评分要点和重点任务）。"""
    from .normalise import parse_date
    from .spec_loader import resolver_of
    from .workbook.template_writer import write_templates

    spec = _spec()
    names = []
    for name in units:
        canonical = resolver_of(spec).canonical(name)
        if canonical is None:
            raise click.ClickException(f"单位「{name}」不在单位名录中，请核对名称（可用 yongji-xls spec 查看各指标的责任单位）")
        names.append(canonical)
    if deadline:
        parsed = parse_date(deadline)
        if not parsed.ok or parsed.value is None:
            raise click.ClickException(f"截止日期「{deadline}」无效，请按2025-03-31格式填写")
        deadline = parsed.value.isoformat()
    try:
        paths = write_templates(spec, out_dir, year or spec.default_year, deadline, names or None)
    except KeyError as e:
        raise click.ClickException(f"以下单位没有需要填报的内容，未生成模板：{e.args[0]}") from e
    except OSError as e:
        raise click.ClickException(f"无法写入「{out_dir}」：{e.strerror or e}") from e
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
