"""The command line: thin. Parse options, call one library function, print Chinese, map errors.

Heavy libraries are imported inside the commands that need them, so ``--help`` stays fast.
"""

from __future__ import annotations

import json
import sys

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


if __name__ == "__main__":  # pragma: no cover
    main()
