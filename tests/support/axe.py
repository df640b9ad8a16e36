"""axe-core (from the npm registry, pinned in package.json and package-lock.json; ``npm ci`` at the top
of the repository installs it, as .ci/run does) injected into a Playwright page. Missing under CI
fails the test (never skips), as chromium does."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
AXE = Path(os.environ.get("YONGJI_AXE", ROOT / "node_modules" / "axe-core" / "axe.min.js"))


def axe_path() -> Path:
    if not AXE.is_file():
        message = f"axe-core 未安装（{AXE}）：请在仓库根目录运行 npm ci"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return AXE


def violations(page: Any) -> list[dict[str, Any]]:
    """axe-core's violations of the page as loaded (the context must bypass the page's CSP)."""
    page.add_script_tag(path=str(axe_path()))
    return page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")


def listed(found: list[dict[str, Any]]) -> list[str]:
    """Every violation, of any impact, as 'rule (impact): first target' lines for a failing assert."""
    return [f"{v['id']} ({v['impact']}): {v['nodes'][0]['target'] if v['nodes'] else ''}" for v in found]
