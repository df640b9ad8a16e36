"""The command line: thin. Parse options, call one library function, print Chinese, map errors.

Heavy libraries are imported inside the commands that need them, so ``--help`` stays fast.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import click

from . import __version__
from .cli_help import ChineseContext


def _spec(system: str | None = None, config: str | None = None):
    from .api import load_system

    return _guard(load_system, system, config)


def system_options(fn):  # noqa: ANN001, ANN201 - a click decorator
    """``--system`` and ``--config``, which every command takes (DESIGN.md §5)."""
    fn = click.option(
        "--config",
        "config",
        type=click.Path(dir_okay=False),
        help="本地单位配置（由 init 生成的单位配置.xlsx），默认永济市。",
    )(fn)
    return click.option(
        "--system",
        "system",
        type=click.Path(),
        help="指标体系：YAML文件夹，或由 system export 导出并修改的.xlsx；默认2022年版。",
    )(fn)


def _references(path: str | None, spec=None, year: int | None = None):  # noqa: ANN001, ANN202 - Spec
    """The ``--reference`` figures; their warnings are printed here and returned for the run."""
    from .api import read_references

    refs, issues = _guard(read_references, path, spec=spec, year=year)
    for i in issues:
        _echo(f"[警告] {i.text}", err=True)
    return refs, issues


class Refused(click.ClickException):
    """A fatal YongjiError shown as its Chinese sentence; exit 2 when it refuses what the user
    gave (a broken system, configuration, reference or values file, a bad argument), else 1."""

    def __init__(self, error: Exception, code: str = "") -> None:
        from .issues import BAD_INPUT

        super().__init__(str(error))
        self.exit_code = 2 if code in BAD_INPUT else 1


def _guard(fn, *args, **kwargs):  # noqa: ANN001, ANN202 - any api function
    """Call an api function; its fatal YongjiError becomes the Chinese error message."""
    from .issues import YongjiError

    try:
        return fn(*args, **kwargs)
    except YongjiError as e:
        raise Refused(e, e.code) from e


def _first_sentence(help_text: str | None) -> str:
    """The overview's summary of a command: its first sentence whole. click cuts a summary at a
    space within a width; Chinese has no spaces, so it showed 「...」 alone."""
    text = " ".join((help_text or "").split("\n\n")[0].split())
    text = re.sub(r"(?<=[^\x00-\x7f])\s+(?=[^\x00-\x7f])", "", text)  # a docstring's line break
    first = text.split("。")[0]
    return f"{first}。" if first else ""


class ChineseCommand(click.Command):
    """A command whose help page is Chinese (:mod:`.cli_help`)."""

    context_class = ChineseContext

    def get_short_help_str(self, limit: int = 45) -> str:
        return self.short_help or _first_sentence(self.help)


class ChineseGroup(click.Group):
    """click with every error said in Chinese (:mod:`.cli_errors`) and every help page too
    (:mod:`.cli_help`): its own English never reaches the console."""

    context_class = ChineseContext
    command_class = ChineseCommand

    def get_short_help_str(self, limit: int = 45) -> str:
        return self.short_help or _first_sentence(self.help)

    def make_context(self, info_name, args, parent=None, **extra):  # noqa: ANN001, ANN201 - click's signature
        ctx = super().make_context(info_name, list(args), parent, **extra)
        ctx._yongji_args = list(args)  # the words typed, to quote a refused value
        return ctx

    def resolve_command(self, ctx, args):  # noqa: ANN001, ANN201 - click's signature
        ctx._yongji_args = list(args)
        return super().resolve_command(ctx, args)

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):  # noqa: ANN001, ANN201
        from .cli_errors import show

        try:
            rv = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.ClickException as e:
            if not standalone_mode:
                raise
            show(e)
            sys.exit(e.exit_code)
        except click.Abort:
            if not standalone_mode:
                raise
            click.echo("已中止。", err=True)
            sys.exit(1)
        if standalone_mode:
            sys.exit(rv if isinstance(rv, int) else 0)
        return rv


def _echo(text: str = "", err: bool = False) -> None:
    click.echo(text, err=err)


@click.group(cls=ChineseGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(
    __version__, prog_name="yongji-xls", message="%(prog)s 版本 %(version)s", help="显示版本号并退出。"
)
def main() -> None:
    """网络市场监管与服务示范区创建自评工具：生成填报模板、汇总校验、计分、出具报告（默认永济市）。"""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure") and (stream.encoding or "").lower() not in ("utf-8", "utf8"):
            try:
                stream.reconfigure(encoding="utf-8", errors="replace")
            except (ValueError, OSError):
                pass


@main.command("spec")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="输出格式：表格或JSON。",
)
@system_options
def spec_cmd(fmt: str, system: str | None, config: str | None) -> None:
    """显示指标体系（三级指标、分值、责任单位）；指标体系有误时列出全部问题（文件与位置），退出码2。"""
    from .api import check_system, system_dict, system_table

    problems = _guard(check_system, system, config)
    if problems:
        _echo(f"指标体系有{len(problems)}处问题，请逐项修改：", err=True)
        for p in problems:
            _echo(f"  - {p}", err=True)
        raise SystemExit(2)
    spec = _spec(system, config)
    if fmt == "json":
        _echo(json.dumps(system_dict(spec), ensure_ascii=False, indent=2))
    else:
        _echo(system_table(spec))


@main.command("score")
@click.option("--values", "values_path", required=True, type=click.Path(dir_okay=False), help="已汇总数据的JSON文件。")
@click.option("--out", "out_path", required=True, type=click.Path(dir_okay=False), help="输出的scores.json路径。")
@click.option(
    "--reference",
    "reference",
    type=click.Path(dir_okay=False),
    help="全国参考值YAML文件（写法见使用说明“全国参考值”一节）。",
)
@click.option("--year", type=int, help="评估年度（默认取数据文件中的年度）。")
@click.option("--region", help="地区类别，如东部、中部、西部（指标体系“地区阈值”表所列；默认取数据文件中的地区）。")
@system_options
def score_cmd(
    values_path: str,
    out_path: str,
    reference: str | None,
    year: int | None,
    region: str | None,
    system: str | None,
    config: str | None,
) -> None:
    """对已汇总的数据计分（不读Excel），写出scores.json。"""
    from .api import score_summary_lines, score_values, values_year, write_scores

    spec = _spec(system, config)
    refs, ref_issues = _references(reference, spec, year or values_year(values_path))
    card, issues = _guard(score_values, values_path, spec=spec, references=refs, year=year, region=region)
    issues = [*ref_issues, *issues]
    _guard(write_scores, out_path, card, issues, spec=spec)
    from .issues import SEVERITY_TEXT

    for i in issues[len(ref_issues) :]:
        where = i.location or f"文件「{Path(values_path).name}」"
        where += f"中的键「{i.key}」" if i.key and i.key not in i.message else ""
        _echo(f"［{SEVERITY_TEXT.get(i.severity, i.severity)}］{where}：{i.message}", err=True)
    for line in score_summary_lines(card, spec=spec):
        _echo(line)
    _echo(f"已写出：{out_path}")


FONTS_HELP = (
    "报告字体：gb为GB/T 9704字体（仿宋_GB2312等，未安装时按声明改用仿宋/楷体/宋体），windows为Windows自带字体。"
)
DATE_HELP = "自评报告的成文日期，如2025-01-28或2025年1月28日（默认为运行当天）。"


def _run(
    in_dir: Path,
    out_dir: Path,
    year: int | None,
    region: str | None,
    reference: str | None,
    review: str | None,
    csv: bool = False,
    fonts: str = "gb",
    system: str | None = None,
    config: str | None = None,
    previous: str | Path | None = None,
    date: str | None = None,
) -> None:
    from . import api

    written_on = _guard(api.report_date, date) if date else None
    spec = _spec(system, config)
    refs, ref_issues = _references(reference, spec, year)
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

    with api.executor() as executor:  # the Word report's process starts while the files are read
        result = _guard(
            api.run,
            in_dir,
            spec=spec,
            year=year,
            region=region,
            references=refs,
            review=review,
            progress=progress,
            reference_issues=ref_issues,
            executor=executor,
            previous=previous,
        )
        written = _guard(api.write_outputs, result, out_dir, fonts=fonts, csv=csv, executor=executor, date=written_on)
    paths = written.paths
    for line in api.run_summary_lines(result):
        _echo(line)
    _echo("输出文件：")
    for key in ("breakdown", "report", "brief", "scores"):
        if key in paths:
            _echo(f"  {paths[key]}")
    if csv:
        _echo(f"  {out_dir / api.CSV_FOLDER}（CSV：原始数据、指标得分、单位指标责任矩阵）")
    if paths.get("feedback_dir"):
        _echo(f"  {paths['feedback_dir']}（各单位问题反馈表）")
    failed = [i for i in written.issues if i.code.startswith("output_")]
    if failed:
        raise click.ClickException("\n".join(i.text for i in failed))


@main.command("templates")
@click.option(
    "--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path), help="模板输出文件夹。"
)
@click.option("--year", type=int, help="评估年度，默认2024。")
@click.option("--deadline", help="报送截止日期，如2025-03-31（写入填报说明）。")
@click.option("--unit", "units", multiple=True, help="只生成指定单位的模板（可重复；可用简称，如市商务局）。")
@click.option(
    "--prefill",
    "prefill",
    type=click.Path(exists=True, path_type=Path),
    help="上次运行的输出文件夹或其中的scores.json：已知数据预填到模板（浅蓝色“已预填”，批注注明来源，可修改）。",
)
@system_options
def templates_cmd(
    out_dir: Path,
    year: int | None,
    deadline: str | None,
    units: tuple[str, ...],
    prefill: Path | None,
    system: str | None,
    config: str | None,
) -> None:
    """为各责任单位生成填报模板（每单位一个.xlsx，只含本单位的指标、数据项、评分要点和重点任务）。"""
    from .api import write_templates

    spec = _spec(system, config)
    paths = _guard(write_templates, out_dir, spec=spec, year=year, deadline=deadline, units=units, prefill=prefill)
    for p in paths:
        _echo(f"  {p}")
    _echo(f"已生成{len(paths)}个填报模板：{out_dir}")


@main.command("run")
@click.argument("in_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="输出文件夹（不能位于输入文件夹内）。",
)
@click.option("--year", type=int, help="评估年度，默认2024。")
@click.option("--region", help="地区类别，如东部、中部、西部（指标体系“地区阈值”表所列），默认中部（山西）。")
@click.option("--reference", type=click.Path(dir_okay=False), help="全国参考值YAML文件。")
@click.option("--review", type=click.Path(dir_okay=False), help="已填写“核定”表的任务分解表，用于人工核定得分。")
@click.option("--csv", is_flag=True, help="另存CSV数据表（原始数据、指标得分、单位指标责任矩阵），供分析使用。")
@click.option("--fonts", type=click.Choice(["gb", "windows"]), default="gb", show_default=True, help=FONTS_HELP)
@click.option(
    "--previous",
    type=click.Path(exists=False),
    help="上一年度运行输出的文件夹或其中的scores.json：与上年对比总分、一级指标得分率和各项指标的得失分。",
)
@click.option("--date", "date", help=DATE_HELP)
@system_options
def run_cmd(
    in_dir: Path,
    out_dir: Path,
    year: int | None,
    region: str | None,
    reference: str | None,
    review: str | None,
    csv: bool,
    fonts: str,
    previous: str | None,
    date: str | None,
    system: str | None,
    config: str | None,
) -> None:
    """汇总文件夹中各单位报送的工作簿：校验、合并、计分，输出任务分解表、自评报告、内部工作提示和scores.json。"""
    _run(in_dir, out_dir, year, region, reference, review, csv, fonts, system, config, previous, date)


@main.command("demo")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path), help="输出文件夹。")
@click.option("--fonts", type=click.Choice(["gb", "windows"]), default="gb", show_default=True, help=FONTS_HELP)
@click.option("--date", "date", help=DATE_HELP)
@system_options
def demo_cmd(out_dir: Path, fonts: str, date: str | None, system: str | None, config: str | None) -> None:
    """用随程序附带的示例工作簿（sample_workbooks）演示一次完整的汇总计分，并与随附的上年（2023年度）结果对比。"""
    from .api import sample_previous, sample_workbooks

    samples = _guard(sample_workbooks)
    _echo(f"示例工作簿：{samples}")
    previous = _guard(sample_previous) if not (system or config) else None  # last year's demo results
    _run(
        samples,
        out_dir,
        None,
        None,
        None,
        None,
        fonts=fonts,
        system=system,
        config=config,
        previous=previous,
        date=date,
    )


@main.group("system", cls=ChineseGroup)
def system_group() -> None:
    """指标体系工作簿：导出为Excel，修改后用 --system 文件路径 使用。"""


@system_group.command("export")
@click.option(
    "--out",
    "out_path",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="导出的指标体系工作簿，如 指标体系.xlsx。",
)
@system_options
def system_export_cmd(out_path: Path, system: str | None, config: str | None) -> None:
    """把指标体系（默认随程序附带的2022年版）导出为可编辑的工作簿。"""
    from .api import export_system

    spec = _spec(system, config)
    path = _guard(export_system, out_path, system=system)
    _echo(f"已导出指标体系「{spec.title}」（版本{spec.version}）：{path}")
    _echo("修改后请同时修改「体系信息」中的版本号，并用 --system 该文件 生成模板和汇总。")


@main.command("rollup")
@click.argument("in_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path), help="汇总输出文件夹。"
)
@system_options
def rollup_cmd(in_dir: Path, out_dir: Path, system: str | None, config: str | None) -> None:
    """市局汇总：把各县（市、区）run 的输出（scores.json 或任务分解表）汇总为对比工作簿和简要报告。"""
    from .api import rollup
    from .issues import SEVERITY_TEXT

    spec = _spec(system, config) if (system or config) else None
    data, paths = _guard(rollup, in_dir, out_dir, spec=spec)
    passed = sum(1 for c in data.counties if c.passed)
    _echo(
        f"已汇总{len(data.counties)}个县（市、区）{data.year}年度自评结果"
        + (f"（按《{data.system_title}》评分）" if data.system_title else "")
        + f"：合格{passed}个，不合格{len(data.counties) - passed}个。"
    )
    for i in data.issues:
        _echo(f"［{SEVERITY_TEXT.get(i.severity, i.severity)}］{i.text}", err=True)
    _echo("输出文件：")
    for p in paths.values():
        _echo(f"  {p}")


@main.command("init")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--city", required=True, help="县（市、区）名称，如：临猗县。")
@click.option("--region", help="地区类别，如东部、中部、西部（指标体系“地区阈值”表所列），默认中部（山西）。")
@click.option("--prefecture", default="运城市", show_default=True, help="所属地级市（报告主送其市场监督管理局）。")
@click.option(
    "--from-yongji",
    "from_yongji",
    is_flag=True,
    help="以永济市的单位名录（含各镇、街道）和工作方案的主要任务为起点，而不是按本县名称改写的通用名录。",
)
@click.option("--system", "system", type=click.Path(), help="指标体系（决定可选的地区类别）；默认2022年版。")
@click.option(
    "--config",
    "config",
    type=click.Path(dir_okay=False),
    help="以另一县（市、区）的单位配置为起点（复制其名录，改为本县名称）。",
)
def init_cmd(
    directory: Path,
    city: str,
    region: str | None,
    prefecture: str,
    from_yongji: bool,
    system: str | None,
    config: str | None,
) -> None:
    """新建本县（市、区）的工作文件夹和可编辑的单位配置.xlsx。"""
    from .api import init_office

    path = _guard(
        init_office,
        directory,
        city,
        region=region,
        prefecture=prefecture,
        from_yongji=from_yongji,
        system=system,
        config=config,
    )
    _echo(f"已生成单位配置：{path}")
    if not from_yongji and not config:
        _echo("请在「单位」表中核对各单位名称，并添加本地各镇（街道）（「镇（街道）」列填“是”）。")
        _echo("请在「重点任务」表中按本县工作方案逐项填写主要任务（表中第一行是示例，填好后删除）。")
    else:
        from .api import office_plan

        start = "另一县（市、区）的单位配置" if config else "永济市的工作方案"
        _county, tasks = _guard(office_plan, path)
        _echo(f"「重点任务」表已从{start}复制{len(tasks)}项主要任务作为起点，须按本县工作方案逐项核对修改：")
        for task in tasks:
            _echo(f"  待核对  任务{task['no']} {task['title']}（{task['units_text']}）")
    _echo(
        f'之后每条命令加上 --config "{path}"，例如：python -m yongji_xls templates --out '
        f'"{directory / "模板"}" --config "{path}"'
    )


@main.command("serve")
@click.argument("workspace", required=False, default="示范区自评", type=click.Path(file_okay=False, path_type=Path))
@click.option("--port", type=int, default=8765, show_default=True, help="端口。")
@click.option("--no-browser", is_flag=True, help="不自动打开浏览器。")
@click.option("--lan", is_flag=True, help="开启局域网上传链接（各单位凭各自的链接上传，办公室页面需要口令）。")
@click.option("--host", help="监听地址（只有加 --lan 时才能不是127.0.0.1；默认本机的局域网地址）。")
@click.option("--year", type=int, help="评估年度，默认2024。")
@system_options
def serve_cmd(
    workspace: Path,
    port: int,
    no_browser: bool,
    lan: bool,
    host: str | None,
    year: int | None,
    system: str | None,
    config: str | None,
) -> None:
    """在浏览器中使用本工具：上传报送文件、查看得分和问题、核定、下载成果（工作区默认“示范区自评”，含模板/、报送/、结果/）。
    加 --config、--system 后工作区会记住它们，下次不加也照用。"""
    try:
        from .web.server import BindRefused, serve
    except ImportError as e:
        raise click.ClickException('网页功能需要安装附加组件：请运行 pip install ".[web]"（或使用离线安装包）') from e
    try:
        _guard(
            serve,
            workspace,
            host=host,
            port=port,
            lan=lan,
            open_browser=not no_browser,
            year=year,
            config=config,
            system=system,
            echo=_echo,
        )
    except BindRefused as e:
        raise click.ClickException(str(e)) from e


def entry() -> None:
    """The console script (``yongji-xls``) and ``python -m yongji_xls``: :func:`main` in a process
    of its own, which ends without the interpreter's teardown.

    Freeing every module and object after the work is done costs ~60–90 ms of a 0.9 s ``run``
    (measured on the 38-unit messy set); outputs are already written and closed by then. The
    collector's first generation is also run less often (a run allocates millions of short-lived
    objects and holds few cycles). Callers inside a process (tests, the web page) call ``main``
    or the api and keep the ordinary exit."""
    import gc
    import os

    gc.set_threshold(100_000, 50, 100)
    code: int = 0
    try:
        main()
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
        if not isinstance(e.code, (int, type(None))):
            click.echo(str(e.code), err=True)
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):
                pass
    os._exit(code)


if __name__ == "__main__":  # pragma: no cover
    entry()
