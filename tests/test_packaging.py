"""Packaging and the promised platforms.

- The wheel builds with no setuptools warning about our configuration and carries every file of
  the source package and of the bundled top-level folders.
- Reinstalling from a tree where a module was deleted removes it: nothing is packed from a stale
  ``build/`` (pip builds a local project in place; setup.py builds in a temporary folder).
- The Pythons the README promises are the ones CI runs, setup.cfg classifies and the wheelhouse
  serves, and the wheelhouse's ``install.bat`` picks one of exactly those (there is no Windows
  here to run it: its text is checked).
"""

from __future__ import annotations

import ast
import configparser
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _bundled() -> tuple[str, ...]:
    """The top-level folders setup.py maps into yongji_xls/_bundled/ (read from setup.py, so a
    folder added there is checked here without a second list)."""
    tree = ast.parse((ROOT / "setup.py").read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "BUNDLED" for t in node.targets):
            return tuple(ast.literal_eval(node.value).values())
    raise AssertionError("setup.py has no BUNDLED mapping")


BUNDLED = _bundled()
# setuptools' messages about a configuration it will stop accepting; pip's "DEPRECATION:" notices
BAD_BUILD_LINE = re.compile(r"would be ignored|Deprecat|BuildBackendWarning|SetuptoolsWarning", re.IGNORECASE)


def _load_wheelhouse_script():
    spec = importlib.util.spec_from_file_location("build_wheelhouse", ROOT / "scripts" / "build_wheelhouse.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


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


# -- the promised Pythons -----------------------------------------------------------------------


def _promised() -> list[str]:
    """``PROMISED`` in .ci/run: the Pythons CI runs the suite on."""
    (line,) = re.findall(r'^PROMISED="([0-9. ]+)"', (ROOT / ".ci" / "run").read_text("utf-8"), re.MULTILINE)
    return line.split()


def test_the_readme_setup_cfg_ci_and_the_wheelhouse_promise_the_same_pythons():
    promised = _promised()
    assert promised == [f"3.{minor}" for minor in range(10, 10 + len(promised))], promised
    span = f"Python {promised[0]}–{promised[-1]}"
    readme = (ROOT / "README.md").read_text("utf-8")
    assert span in readme and "及以上" not in readme
    assert set(re.findall(r"Python 3\.\d+–3\.\d+", readme)) == {span}
    cfg = configparser.ConfigParser()
    cfg.read(ROOT / "setup.cfg", encoding="utf-8")
    classified = re.findall(r"Programming Language :: Python :: (3\.\d+)", cfg["metadata"]["classifiers"])
    assert classified == promised
    assert cfg["options"]["python_requires"].strip() == f">={promised[0]}"
    assert list(_load_wheelhouse_script().PYTHONS) == promised


def test_ci_runs_the_readme_test_command_verbatim():
    (command,) = re.findall(r"```bash\n(pip install \"\.\[test\]\".*)\n```", (ROOT / "README.md").read_text("utf-8"))
    assert command == 'pip install ".[test]" && python -m pytest -q'
    assert any(line.strip() == command for line in (ROOT / ".ci" / "run").read_text("utf-8").splitlines())


# -- install.bat ----------------------------------------------------------------------------------


def _bat(pythons: tuple[str, ...]) -> str:
    return _load_wheelhouse_script().install_bat(pythons)


def test_install_bat_tries_the_served_pythons_newest_first_and_checks_each():
    wheelhouse = _load_wheelhouse_script()
    text = _bat(wheelhouse.PYTHONS)
    (loop,) = re.findall(r"for %%V in \(([0-9. ]+)\) do", text)
    assert loop.split() == ["3.13", "3.12", "3.11", "3.10"]
    # each candidate is run (it exists, and is 64-bit as the win_amd64 wheels need) before it is used
    check = "import struct, sys; sys.exit(struct.calcsize('P') != 8)"
    assert f'py -%%V -c "{check}" >nul 2>nul && set "PY=py -%%V"' in text
    # a python on PATH only when it is one of those versions
    (fallback,) = [line for line in text.splitlines() if line.strip().startswith("python -c")]
    assert "'3.13 3.12 3.11 3.10'.split()" in fallback and '&& set "PY=python"' in fallback
    # pip runs only with the chosen one, after the check
    install = text.index('%PY% -m pip install --no-index --find-links . "yongji-xls[web]"')
    assert text.index("if not defined PY (\n  echo") < install
    assert re.findall(r"(?m)^\s*(py|python)(?: -3)? -m pip", text) == []  # never a Python picked without the check


def test_install_bat_names_the_versions_it_needs_when_none_is_there():
    text = _bat(("3.10", "3.11", "3.12", "3.13"))
    block = text[text.index("if not defined PY (\n  echo") :]
    block = block[: block.index("exit /b 1")]
    needed = "Python 3.10、Python 3.11、Python 3.12、Python 3.13 中的一个（64位）"
    assert f"找不到可用的 Python：本安装包需要 {needed}。" in block
    assert "pause" in block
    # a wheelhouse built for fewer Pythons asks for exactly those
    narrow = _bat(("3.12", "3.11"))
    assert "for %%V in (3.12 3.11) do" in narrow and "需要 Python 3.11、Python 3.12 中的一个" in narrow
    assert "3.13" not in narrow and "3.10" not in narrow


def test_install_bat_is_a_batch_file_cmd_can_parse():
    """Blocks balance, and no echo inside a block carries an ASCII ")" (cmd would end the block there)."""
    lines = _bat(("3.10", "3.11", "3.12", "3.13")).splitlines()
    assert lines[:2] == ["@echo off", "chcp 65001 >nul"]
    depth = 0
    for line in lines:
        code = line.strip()
        if code.lower().startswith("echo"):
            assert depth == 0 or ")" not in code, line
            continue
        if code.lower().startswith("rem"):
            continue
        bare = re.sub(r'"[^"]*"', "", code)  # parentheses inside quotes do not open or close blocks
        depth += bare.count("(") - bare.count(")")
        assert depth >= 0, line
    assert depth == 0
