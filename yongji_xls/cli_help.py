"""click's help pages in Chinese: office staff read ``--help``, so its frame is Chinese too.

click writes the frame of a help page in English (「Usage:」, 「Options:」, 「[required]」, the type
names it shows as metavars, the help option's sentence). Its translations go through gettext,
which would need a compiled catalogue and a process-wide locale. Every piece of that frame passes
through the :class:`click.HelpFormatter` as plain text, on every click version the project admits
(8.1.3 on), so one formatter says it again in Chinese: the usage line, the headings and the two
columns of the option list. What the user types (commands, flags, choices) stays as it is.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

import click

USAGE_WORDS = {
    "[OPTIONS]": "[选项]",
    "COMMAND [ARGS]...": "命令 [参数]...",
    "IN_DIR": "输入文件夹",
    "DIRECTORY": "工作文件夹",
    "[WORKSPACE]": "[工作区文件夹]",
}
HEADINGS = {"Options": "选项", "Commands": "命令", "Arguments": "参数"}
METAVARS = {
    "DIRECTORY": "文件夹",
    "FILE": "文件",
    "PATH": "路径",
    "INTEGER": "整数",
    "TEXT": "文字",
    "FLOAT": "数值",
    "DATE": "日期",
}
SENTENCES = {
    "Show this message and exit.": "显示本说明并退出。",
    "Show the version and exit.": "显示版本号并退出。",
}
CLOSING = set("，。、；：！？）》」』”’")
TOKENS = re.compile(r"[A-Za-z0-9_.\-/|\[\]@:]+|\s+|.")
EXTRAS = re.compile(r"\s*\[([^\[\]]*)\]\s*$")
METAVAR = re.compile(r"\b(" + "|".join(METAVARS) + r")\b")


def width(text: str) -> int:
    """Columns a text takes in a console: a Chinese character takes two (click counts one)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def wrap(text: str, columns: int) -> list[str]:
    """Lines of at most ``columns`` console columns, broken between Chinese characters or Latin
    words, never inside a flag or a file name; a closing mark never begins a line: the token
    before it moves down with it (the 避头 rule of Chinese typesetting)."""
    lines: list[list[str]] = []
    line: list[str] = []
    for token in TOKENS.findall(" ".join(text.split())):
        if width("".join(line) + token) <= columns or not "".join(line).strip():
            line.append(token)
        elif token.isspace():
            lines.append(line)
            line = []
        elif token in CLOSING and len(line) > 1:
            cut = max(i for i, t in enumerate(line) if t not in CLOSING)  # the token the marks close
            lines.append(line[:cut] if cut else line)
            line = [*line[cut:], token] if cut else [token]
        else:
            lines.append(line)
            line = [token]
    said = ["".join(tokens).rstrip() for tokens in [*lines, line]]
    return [s for s in said if s] or [""]


def _usage(args: str) -> str:
    for english, chinese in USAGE_WORDS.items():
        args = args.replace(english, chinese)
    return args


def _extra(item: str) -> str:
    """One of click's bracketed notes after an option's help: required, default, env var, range."""
    item = item.strip()
    if item == "required":
        return "必填"
    for english, chinese in (("default: ", "默认："), ("env var: ", "环境变量：")):
        if item.startswith(english):
            return chinese + item[len(english) :]
    return item


def _definition(text: str) -> str:
    text = SENTENCES.get(text, text)
    found = EXTRAS.search(text)
    if not found:
        return text
    notes = "；".join(_extra(i) for i in found.group(1).split("; "))
    return f"{text[: found.start()]}（{notes}）"


class ChineseHelpFormatter(click.HelpFormatter):
    """A help page whose frame is Chinese; the texts the commands declare are Chinese already.
    Lines are wrapped by console columns two short of the width, so that a closing mark kept on
    its line never spills into the console's own wrap."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, _usage(args), "用法：" if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{HEADINGS.get(heading, heading)}：\n")

    def write_text(self, text: str) -> None:
        indent = " " * self.current_indent
        paragraphs = [p for p in re.split(r"\n\s*\n", text) if p.strip()]
        for n, paragraph in enumerate(paragraphs):
            if n:
                self.write("\n")
            for line in wrap(paragraph, max(self.width - self.current_indent - 2, 20)):
                self.write(f"{indent}{line}\n")

    def write_dl(self, rows: Sequence[tuple[str, str]], col_max: int = 30, col_spacing: int = 2) -> None:
        """The option list, its columns aligned and wrapped by console width."""
        said = [(METAVAR.sub(lambda m: METAVARS[m.group(1)], term), _definition(text)) for term, text in rows]
        first = min(max((width(term) for term, _ in said), default=0), col_max)
        hang = " " * (self.current_indent + first + col_spacing)
        for term, text in said:
            self.write(f"{'':>{self.current_indent}}{term}")
            if not text:
                self.write("\n")
                continue
            if width(term) <= first:
                self.write(" " * (first - width(term) + col_spacing))
            else:
                self.write("\n" + hang)
            lines = wrap(text, max(self.width - len(hang) - 2, 10))
            self.write("\n".join([lines[0], *(hang + line for line in lines[1:])]) + "\n")


class ChineseContext(click.Context):
    """Every command's context writes its help with :class:`ChineseHelpFormatter`."""

    formatter_class = ChineseHelpFormatter
