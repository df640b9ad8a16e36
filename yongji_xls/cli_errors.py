"""click's usage errors in Chinese: every message the command line prints is Chinese (DESIGN.md §5).

click writes its own English for a missing option, an unknown option, a value of the wrong type,
a path that is a file where a folder is wanted, an unknown command or an extra argument. Its
exceptions carry what went wrong as data (the parameter, the value, the possibilities), so each
kind is said again here from that data; click's own sentence is never printed. An error of a kind
not listed still gets a Chinese sentence (and the command's help hint), never click's text.
"""

from __future__ import annotations

import os
from typing import Any

import click
from click import exceptions as ce

ARGUMENTS = {"in_dir": "输入文件夹", "directory": "工作文件夹", "workspace": "工作区文件夹"}


def _name(param: Any) -> str:
    """How the user wrote the parameter: ``--out`` for an option, the argument's Chinese name."""
    if param is None:
        return "参数"
    if isinstance(param, click.Option):
        return max(param.opts, key=len)
    return ARGUMENTS.get(param.name or "", "参数")


def _value(ctx: click.Context | None, param: Any) -> str:
    """The text the user gave for ``param`` (click's message quotes it, its exception does not)."""
    if ctx is None or param is None:
        return ""
    args = list(getattr(ctx.find_root(), "_yongji_args", ()) or ())
    for opt in getattr(param, "opts", ()):
        for i, a in enumerate(args):
            if a == opt and i + 1 < len(args):
                return args[i + 1]
            if a.startswith(opt + "="):
                return a[len(opt) + 1 :]
    return ""


def _path_problem(param: Any, value: str) -> str:
    kind: click.Path = param.type
    if value and os.path.isfile(value) and not kind.file_okay:
        return f"{_name(param)}应为文件夹，但「{value}」是一个文件。请另选一个文件夹"
    if value and os.path.isdir(value) and not kind.dir_okay:
        return f"{_name(param)}应为文件，但「{value}」是一个文件夹。请指定文件"
    if value and not os.path.exists(value):
        return f"{_name(param)}指定的「{value}」不存在。请核对路径"
    return f"{_name(param)}的路径「{value}」无法使用。请核对路径"


def _bad_parameter(e: ce.BadParameter) -> str:
    param, ctx = e.param, e.ctx
    value = _value(ctx, param)
    kind = getattr(param, "type", None)
    if isinstance(kind, click.Path):
        return _path_problem(param, value)
    if isinstance(kind, click.Choice):
        return f"{_name(param)}应为{'、'.join(f'「{c}」' for c in kind.choices)}之一，现为「{value}」"
    if kind is click.INT or isinstance(kind, click.types.IntParamType):
        return f"{_name(param)}应为整数（如2024），现为「{value}」"
    if kind is click.FLOAT or isinstance(kind, click.types.FloatParamType):
        return f"{_name(param)}应为数字，现为「{value}」"
    return f"{_name(param)}的值「{value}」无效"


def chinese(e: click.ClickException) -> str:
    """The Chinese sentence for a click exception (our own ``ClickException`` is Chinese already)."""
    if isinstance(e, ce.NoSuchOption):
        near = "、".join(sorted(e.possibilities or ()))
        return f"没有选项 {e.option_name}。" + (f"您是否要用 {near}？" if near else "")
    if isinstance(e, ce.MissingParameter):
        what = "选项" if isinstance(e.param, click.Option) else "参数"
        return f"缺少必填{what} {_name(e.param)}。"
    if isinstance(e, ce.BadParameter):
        return _bad_parameter(e) + "。"
    if isinstance(e, ce.BadOptionUsage):
        return f"选项 {e.option_name} 后面缺少值。"
    if isinstance(e, ce.FileError):
        return f"无法打开文件「{e.ui_filename}」。"
    if isinstance(e, ce.UsageError):
        text = e.format_message()
        if text.startswith("No such command"):
            commands = "、".join(f"「{c}」" for c in sorted(e.ctx.command.list_commands(e.ctx))) if e.ctx else ""
            return "没有这个命令。" + (f"可用的命令：{commands}。" if commands else "")
        if "unexpected extra argument" in text:
            return "多了不需要的参数。如路径中有空格，请用英文引号把路径括起来。"
        return "命令行参数有误。"
    return e.format_message()  # ours (cli.Refused): the Chinese sentence of a YongjiError


def show(e: click.ClickException) -> None:
    """Print ``e`` in Chinese, with where to find the usage for a usage error."""
    text = chinese(e)
    if isinstance(e, ce.UsageError):
        path = e.ctx.command_path if e.ctx is not None else "yongji-xls"
        text = f"错误：{text}\n用法说明：{path} --help"
    click.echo(text, err=True)
