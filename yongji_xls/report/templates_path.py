"""Where the report wording (``templates/*.j2``) lives.

The templates are plain files the office may edit: in the source tree they are the repository's
top-level ``templates/``; an installed copy carries them inside the package
(:mod:`yongji_xls.files.data_paths`). The environment variable ``YONGJI_XLS_TEMPLATES`` points
to an office's edited copy and wins over both.

The wording is rendered here too (:func:`render_lines`, :func:`is_template_error`), apart from
the Word writers: the breakdown's 报告文字 drafts need it, and a process that writes no Word
document (the parent, when the helper writes the report) never imports python-docx.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

ENV_VAR = "YONGJI_XLS_TEMPLATES"
MARKER = "report_main.j2"
TEMPLATES = ("report_main.j2", "report_annex.j2")  # the Word report's, in order


def candidates() -> list[Path]:
    """Folders searched, in order: the override, then the bundled locations."""
    from ..files.data_paths import candidate_dirs

    override = [Path(os.environ[ENV_VAR])] if os.environ.get(ENV_VAR) else []
    return override + candidate_dirs("templates")


def templates_dir() -> Path:
    """The first candidate folder that holds the report templates."""
    tried = candidates()
    for folder in tried:
        if (folder / MARKER).is_file():
            return folder
    raise FileNotFoundError(
        "找不到报告措辞模板（*.j2），已查找："
        + "；".join(str(p) for p in tried)
        + f"。可设置环境变量{ENV_VAR}指向模板目录"
    )


def template_env(folder: Path | None = None) -> Any:
    """The jinja2 environment every wording template is rendered in: strict (a misspelt name
    is an error, not an empty string), block tags trimmed, no HTML escaping (the output is
    Word text), compiled templates cached in the user's cache folder."""
    import jinja2

    from ..files.user_cache import jinja_bytecode_cache

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(folder or templates_dir())),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        autoescape=False,
        bytecode_cache=jinja_bytecode_cache(),
    )


class TemplateMarkupError(ValueError):
    """A template line uses an unknown directive or table name (a wording file was mistyped)."""


def is_template_error(e: BaseException) -> bool:
    """Whether ``e`` comes from a mistyped wording file (jinja2's own errors or our markup)."""
    import jinja2

    return isinstance(e, (jinja2.TemplateError, TemplateMarkupError))


def render_lines(name: str, context: dict[str, Any], folder: Path | None = None) -> list[str]:
    """Render one template with StrictUndefined; returns its non-empty lines."""
    env = template_env(folder)
    text = env.get_template(name).render(**context)
    return [line.strip() for line in text.splitlines() if line.strip()]
