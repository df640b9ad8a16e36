"""Where the report wording (``report/templates/*.j2``) lives.

The templates ship inside the package and are found with :mod:`importlib.resources` (a source
checkout and any install alike, no search of install prefixes). An office that edits the wording
copies the folder and points the environment variable ``YONGJI_XLS_TEMPLATES`` at the copy,
which wins; an upgrade then never overwrites the office's edits.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path
from typing import Any

ENV_VAR = "YONGJI_XLS_TEMPLATES"
MARKER = "report_main.j2"


def shipped_dir() -> Path:
    """The package's own wording folder."""
    return Path(str(resources.files(__package__).joinpath("templates")))


def candidates() -> list[Path]:
    """Folders searched, in order: the override, then the shipped wording."""
    override = [Path(os.environ[ENV_VAR])] if os.environ.get(ENV_VAR) else []
    return [*override, shipped_dir()]


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
