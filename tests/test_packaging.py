"""Packaging: what the wheel carries, and what a rebuild leaves behind.

- The wheel builds with no setuptools warning about our configuration and carries every file of
  the source package and of the bundled top-level folders.
- Reinstalling from a tree where a module was deleted removes it: nothing is packed from a stale
  ``build/`` (pip builds a local project in place; setup.py builds in a temporary folder).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BUNDLED = ("templates", "sample_workbooks")  # top-level folders setup.py maps into yongji_xls/_bundled/
# setuptools' messages about a configuration it will stop accepting; pip's "DEPRECATION:" notices
BAD_BUILD_LINE = re.compile(r"would be ignored|Deprecat|BuildBackendWarning|SetuptoolsWarning", re.IGNORECASE)


def _source_copy(dest: Path) -> Path:
    """The source tree as a clone has it (no build output, caches or venvs)."""
    ignore = shutil.ignore_patterns(
        ".git", "build", "dist", "*.egg-info", ".venv", "__pycache__", ".*_cache", ".benchmarks", "out", "demo-out"
    )
    shutil.copytree(ROOT, dest, ignore=ignore)
    return dest


def _files(folder: Path) -> set[str]:
    return {
        p.relative_to(folder).as_posix()
        for p in folder.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and not p.name.startswith(".")
    }


def _pip_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}


def _bin(venv: Path, name: str) -> Path:
    return venv / ("Scripts" if os.name == "nt" else "bin") / (name + (".exe" if os.name == "nt" else ""))


# -- the wheel ----------------------------------------------------------------------------------


@pytest.mark.slow
def test_the_wheel_builds_without_packaging_warnings_and_carries_every_file(tmp_path):
    src = _source_copy(tmp_path / "src")
    dist = tmp_path / "dist"
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-v", "--no-deps", "--wheel-dir", str(dist), str(src)],
        capture_output=True,
        text=True,
        timeout=900,
        env=_pip_env(),
    )
    log = build.stdout + build.stderr
    assert build.returncode == 0, log[-4000:]
    bad = [line.strip() for line in log.splitlines() if BAD_BUILD_LINE.search(line)]
    assert not bad, "the build warns about our packaging:\n" + "\n".join(bad)
    (wheel,) = dist.glob("yongji_xls-*.whl")
    with zipfile.ZipFile(wheel) as z:
        packed = {n for n in z.namelist() if not n.startswith("yongji_xls-")}
    expected = {f"yongji_xls/{f}" for f in _files(src / "yongji_xls")}
    expected |= {f"yongji_xls/_bundled/{name}/{f}" for name in BUNDLED for f in _files(src / name)}
    assert expected - packed == set(), "source files missing from the wheel"
    assert packed - expected == set(), "files in the wheel that are not in the source"
    assert not (src / "build").exists() and not list(src.glob("*.egg-info")), "the build wrote into the source tree"


@pytest.mark.slow
def test_a_module_deleted_from_the_source_is_gone_after_reinstalling(tmp_path):
    """pip install, delete a module, pip install again: the module is not in site-packages."""
    src = _source_copy(tmp_path / "src")
    probe = src / "yongji_xls" / "_deleted_module_probe.py"
    probe.write_text('"""Deleted between two installs."""\n', encoding="utf-8")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    python = _bin(venv, "python")

    def install() -> None:
        done = subprocess.run(
            [str(python), "-m", "pip", "install", "--no-deps", str(src)],
            capture_output=True,
            text=True,
            timeout=900,
            env=_pip_env(),
            cwd=tmp_path,
        )
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]

    install()
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        capture_output=True,
        text=True,
        check=True,
    )
    installed = Path(site.stdout.strip()) / "yongji_xls"
    assert (installed / probe.name).is_file()
    assert not (src / "build").exists(), "pip install . left build/ in the source tree"
    probe.unlink()
    install()
    assert (installed / "__init__.py").is_file()
    assert not (installed / probe.name).exists(), "a module deleted from the source is still installed"
