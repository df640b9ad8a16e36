"""Screenshots of every page of ``yongji-xls serve`` (headless Debian chromium -> PNG).

    python scripts/web_screenshots.py OUT_DIR [--width 1280] [--axe] [--chromium /usr/bin/chromium]

Starts the page on a free 127.0.0.1 port over a fresh workspace, uploads the bundled sample
workbooks, one broken file and one untouched template through the page, then shoots each page (and a unit's LAN upload
page, the 404 and 403 pages) full-length. For looking at the layout; the browser tests check
behaviour. ``--axe`` also runs axe-core (``npm ci``, see README) on every page shot and prints its
violations of every impact per page (axe.json beside the PNGs).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "support")]

PAGES = [
    ("overview", "/"),
    ("upload", "/upload"),
    ("units", "/units"),
    ("indicators", "/indicators"),
    ("indicator_I01", "/indicators/I01"),
    ("issues", "/issues?severity=error"),
    ("review", "/review"),
    ("references", "/references"),
    ("downloads", "/downloads"),
    ("templates", "/templates"),
    ("not_found_404", "/nowhere"),
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--axe", action="store_true", help="run axe-core on every page shot")
    args = parser.parse_args()
    from axe import violations
    from playwright.sync_api import sync_playwright
    from web_support import CHROMIUM_ARGS

    from yongji_xls.web.server import start
    from yongji_xls.web.settings import unit_link
    from yongji_xls.web.workspace import Workspace

    args.out.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="yx-shots-"))
    broken = tmp / "损坏的文件.xlsx"
    broken.write_bytes(b"PK\x03\x04 this is not a workbook")
    running = start(Workspace(tmp / "工作区"), host="127.0.0.1", port=0, lan=True)
    try:
        with sync_playwright() as p:
            ctx = p.chromium.launch_persistent_context(
                str(tmp / "profile"),
                executable_path=args.chromium,
                headless=True,
                args=CHROMIUM_ARGS,
                viewport={"width": args.width, "height": 900},
                locale="zh-CN",
                bypass_csp=args.axe,  # to inject axe-core
            )
            found: dict[str, list[dict]] = {}

            def shoot(target: object, name: str) -> None:
                target.screenshot(path=str(args.out / f"{name}.png"), full_page=True)
                if args.axe:
                    found[name] = violations(target)

            page = ctx.new_page()
            page.goto(running.url)
            page.goto(running.settings.base_url + "/upload")
            page.set_input_files(
                "#files", sorted(str(x) for x in (ROOT / "sample_workbooks").iterdir()) + [str(broken)]
            )
            page.click("#upload-button")
            page.wait_for_selector("#upload-results")
            shoot(page, "upload_results")
            running.workspace.wait()
            page.goto(running.settings.base_url + "/upload")  # a template sent back untouched: 未填写
            page.set_input_files("#files", str(_untouched_template(running.workspace, tmp)))
            page.click("#upload-button")
            page.wait_for_selector("#upload-results")
            running.workspace.wait()
            for name, path in PAGES:
                page.goto(running.settings.base_url + path)
                shoot(page, name)
            page.goto(unit_link(running.settings, "市统计局"))
            shoot(page, "unit_link")
            page.goto(unit_link(running.settings, "市发改局"))
            page.set_input_files("#files", str(next((ROOT / "sample_workbooks").glob("04_*"))))
            page.click("#upload-button")
            page.wait_for_selector("#unit-result")
            shoot(page, "unit_link_result")
            ctx.close()
            stranger = p.chromium.launch(executable_path=args.chromium, headless=True, args=CHROMIUM_ARGS).new_page(
                locale="zh-CN", viewport={"width": args.width, "height": 900}, bypass_csp=args.axe
            )
            stranger.goto(running.settings.base_url + "/issues")
            shoot(stranger, "no_token_403")
    finally:
        running.stop()
    if args.axe:
        _print_axe(found, args.out / "axe.json")
    print(f"screenshots in {args.out}")


def _untouched_template(workspace: object, tmp: Path) -> Path:
    """The fill-in workbook of the first unit not yet reported, as written (nothing typed)."""
    from yongji_xls import api
    from yongji_xls.issues import UnitState

    unit = next(u.unit for u in workspace.result.units if u.state == UnitState.NOT_SUBMITTED)
    return api.write_templates(tmp / "未填写", spec=workspace.spec, year=workspace.year, units=[unit])[0]


def _print_axe(found: dict[str, list[dict]], path: Path) -> None:
    """One line per page: each rule broken, with its impact and how many elements."""
    import json

    summary = {
        name: [{"id": v["id"], "impact": v["impact"], "nodes": len(v["nodes"])} for v in found[name]] for name in found
    }
    path.write_text(json.dumps(summary, ensure_ascii=False, indent=1), "utf-8")
    for name, rules in summary.items():
        text = ", ".join(f"{r['id']} ({r['impact']}, {r['nodes']})" for r in rules) or "none"
        print(f"axe {name}: {text}")


if __name__ == "__main__":
    main()
