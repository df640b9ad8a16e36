"""A copy of the shipped spec YAML folder for tests that edit it (``--system DIR``)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

SPEC_FILES = ("system", "units", "fields", "indicators", "national")


def copy_spec(tmp_path: Path) -> Path:
    src = resources.files("yongji_xls.system").joinpath("data")
    dst = tmp_path / "spec"
    dst.mkdir()
    for name in SPEC_FILES:
        shutil.copyfile(str(src.joinpath(f"{name}.yaml")), dst / f"{name}.yaml")
    return dst


def edit_yaml(path: Path, fn: Callable[[Any], None]) -> None:
    data = yaml.safe_load(path.read_text("utf-8"))
    fn(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
