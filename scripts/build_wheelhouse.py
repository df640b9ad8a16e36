"""Build an offline install folder (a "wheelhouse") for office PCs that reach no package index.

    python scripts/build_wheelhouse.py OUT [--platform-only] [--python 3.10 3.11 3.12 3.13]

OUT receives the tool's own wheel and every wheel it needs (with the ``web`` extra, so
``yongji-xls serve`` works) for Windows 64-bit (CPython 3.10-3.13) and for this machine, plus
``install.bat`` / ``install.sh`` that install with ``pip --no-index --find-links`` (no network).
``--platform-only`` builds this machine's set only (the test suite uses it).

pip evaluates a dependency's environment markers on the machine that downloads, not on the
target, so Windows-only dependencies (click's colorama) are named explicitly for win_amd64.
"""

from __future__ import annotations

import argparse
import configparser
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXTRA = "web"
PYTHONS = ("3.10", "3.11", "3.12", "3.13")
WINDOWS_ONLY = ("colorama",)  # markers pip would evaluate for this machine, not for Windows

INSTALL_SH = """#!/bin/sh
# 离线安装 yongji-xls（不需要联网）：在本文件夹中运行  sh install.sh
set -e
cd "$(dirname "$0")"
PY="${PYTHON:-python3}"
"$PY" -m pip install --no-index --find-links . "yongji-xls[web]"
echo "安装完成。运行 yongji-xls serve 打开网页，或 yongji-xls demo --out 演示输出 试用。"
"""

INSTALL_BAT = """@echo off
chcp 65001 >nul
rem 离线安装 yongji-xls（不需要联网）：双击运行本文件
rem 只用本安装包带有安装文件的 Python 版本（64位）：依次试 {tried}，用找到的第一个
cd /d "%~dp0"
set "PY="
for %%V in ({versions}) do (
  if not defined PY (
    py -%%V -c "{is_64bit}" >nul 2>nul && set "PY=py -%%V"
  )
)
if not defined PY (
  python -c "{is_served}" >nul 2>nul && set "PY=python"
)
if not defined PY (
  echo 找不到可用的 Python：本安装包需要 {needed}。
  echo 请先安装其中一个版本（安装时勾选“Add python.exe to PATH”），再双击本文件。
  pause
  exit /b 1
)
echo 使用 %PY% 安装：
%PY% -m pip install --no-index --find-links . "yongji-xls[web]"
if errorlevel 1 (
  echo 安装失败：请把上面的出错信息发给技术支持。
  pause
  exit /b 1
)
echo 安装完成。在命令提示符中运行 yongji-xls serve 打开网页，或 yongji-xls demo --out 演示输出 试用。
pause
"""


def install_bat(pythons: tuple[str, ...]) -> str:
    """install.bat for the Windows wheels of ``pythons``: it tries ``py -3.13`` … ``py -3.10``
    (newest first, each checked to exist and be 64-bit, as the wheels are win_amd64), then a
    ``python`` on PATH of one of those versions, and never installs into any other Python."""
    ordered = sorted(pythons, key=lambda v: tuple(int(x) for x in v.split(".")), reverse=True)
    needed = "、".join(f"Python {v}" for v in reversed(ordered))
    is_64bit = "import struct, sys; sys.exit(struct.calcsize('P') != 8)"
    served = f"'%%d.%%d' %% sys.version_info[:2] in '{' '.join(ordered)}'.split()"  # %% is % in a .bat
    return INSTALL_BAT.format(
        is_64bit=is_64bit,
        is_served=f"import struct, sys; sys.exit(not ({served} and struct.calcsize('P') == 8))",
        versions=" ".join(ordered),
        tried="、".join(f"py -{v}" for v in ordered),
        needed=f"{needed} 中的一个（64位）",
    )


README = """离线安装包（yongji-xls {version}）

本文件夹包含 yongji-xls 及其全部依赖，适用于：Windows 64位（Python 3.10–3.13）{here}。
安装时不需要联网：
  Windows：双击 install.bat（或在命令提示符中运行 install.bat）
  Linux/macOS：sh install.sh
安装后运行 yongji-xls serve 打开网页，或 yongji-xls demo --out 演示输出 试用。
"""


def requirements() -> list[str]:
    """install_requires plus the web extra, as setup.cfg declares them (one source of truth)."""
    cfg = configparser.ConfigParser()
    cfg.read(ROOT / "setup.cfg", encoding="utf-8")
    lines = cfg["options"]["install_requires"].splitlines() + cfg["options.extras_require"][EXTRA].splitlines()
    return [line.strip() for line in lines if line.strip() and not line.strip().startswith("#")]


def pip(*args: str) -> None:
    cmd = [sys.executable, "-m", "pip", "--disable-pip-version-check", *args]
    print("+", " ".join(cmd), flush=True)
    subprocess.run(cmd, check=True)


def build(out: Path, platform_only: bool, pythons: tuple[str, ...]) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="yx-wheel-") as tmp:
        # a clean copy: no caches, venvs or local output of this checkout go into the build
        src = Path(tmp) / "src"
        shutil.copytree(
            ROOT,
            src,
            ignore=shutil.ignore_patterns(
                ".git", "build", "dist", "*.egg-info", ".venv", "__pycache__", ".*_cache", ".benchmarks"
            ),
        )
        # this machine: the tool's wheel and every dependency (built from source when only an sdist exists)
        pip("wheel", "--wheel-dir", str(out), f"{src}[{EXTRA}]")
    if not platform_only:
        reqs = requirements() + list(WINDOWS_ONLY)
        for version in pythons:
            pip(
                "download",
                "--only-binary=:all:",
                "--platform",
                "win_amd64",
                "--implementation",
                "cp",
                "--python-version",
                version,
                "--dest",
                str(out),
                *reqs,
            )
    (out / "install.sh").write_text(INSTALL_SH, encoding="utf-8", newline="\n")
    (out / "install.bat").write_bytes(install_bat(pythons).replace("\n", "\r\n").encode("utf-8"))
    from importlib import import_module

    sys.path.insert(0, str(ROOT))
    version = import_module("yongji_xls").__version__
    here = "" if platform_only else "，以及"
    here = f"{here}本机所用的平台" if not platform_only else "（仅本机所用的平台）"
    (out / "说明.txt").write_text(README.format(version=version, here=here), encoding="utf-8")
    return sorted(out.glob("*.whl"))


def main() -> None:
    parser = argparse.ArgumentParser(description="为不能联网的电脑准备离线安装包（wheel 文件夹）。")
    parser.add_argument("out", type=Path, help="输出文件夹")
    parser.add_argument("--platform-only", action="store_true", help="只准备本机平台的安装包（不含Windows）")
    parser.add_argument(
        "--python", nargs="+", default=list(PYTHONS), help="Windows 版的 Python 版本（默认 3.10 3.11 3.12 3.13）"
    )
    args = parser.parse_args()
    wheels = build(args.out, args.platform_only, tuple(args.python))
    print(f"已写出{len(wheels)}个wheel及 install.bat / install.sh：{args.out}")


if __name__ == "__main__":
    main()
