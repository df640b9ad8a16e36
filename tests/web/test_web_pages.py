"""Issue 21's proof in Debian's chromium: 核定 per row across two tabs, the 参考值 page, uploads
that are withdrawn, superseded, refused or named long, every page checked by axe-core and at
390 px, and a county other than Yongji served from its own configuration and system workbook."""

from __future__ import annotations

import io
import json
import time
import zipfile

import pytest
from axe import listed, violations
from web_support import browser_context, launch_browser, samples, serving, wait_idle

from yongji_xls import api
from yongji_xls.web.settings import MB, unit_link
from yongji_xls.web.workspace import Workspace

pytestmark = pytest.mark.slow  # drives chromium

OFFICE_PAGES = ["/", "/upload", "/units", "/indicators", "/indicators/I25", "/issues", "/review", "/references"]
OFFICE_PAGES += ["/downloads", "/templates"]


@pytest.fixture(scope="module")
def browser():
    yield from launch_browser()


@pytest.fixture(scope="module")
def site(tmp_path_factory, browser):
    root = tmp_path_factory.mktemp("pages") / "工作区"
    with serving(root, lan=True) as running, browser_context(browser) as ctx:
        page = ctx.new_page()
        page.goto(running.url)
        page.goto(running.settings.base_url + "/upload")
        page.set_input_files("#files", [str(p) for p in samples()])
        page.click("#upload-button")
        page.wait_for_selector("#upload-results")
        running.workspace.wait(120)
        yield running


def _office(ctx, running):
    page = ctx.new_page()
    page.goto(running.url)  # the office link sets the cookie
    return page


def _scores(running) -> dict:
    return json.loads((running.workspace.folder("结果") / "scores.json").read_text("utf-8"))


def _save_row(tab, key: str, score: str | None = None, note: str | None = None, answer: str = "#saved") -> None:
    """Type into one 核定 row and press its own 保存, then wait for the page's answer."""
    if score is not None:
        tab.fill(f"#score-{key}", score)
    if note is not None:
        tab.fill(f"#note-{key}", note)
    tab.click(f"#row-{key} button")
    tab.wait_for_selector(answer)


def test_two_tabs_editing_different_rows_keep_both_edits_and_a_stale_row_is_a_conflict(site, browser):
    review = site.workspace.review_path
    with browser_context(browser) as ctx:
        a, b, stale = _office(ctx, site), _office(ctx, site), _office(ctx, site)
        for tab in (a, b, stale):  # all loaded before tab A saves
            tab.goto(site.settings.base_url + "/review")
        _save_row(a, "I25", score="1")
        assert a.inner_text("#row-I25 .applied") == "1" and "已核定" in a.inner_text("#row-I25 .status")
        _save_row(b, "I26", score="1")
        entries = api.review_entries(review, spec=site.workspace.spec)
        assert entries["I25"][0] == "1" and entries["I26"][0] == "1"  # both edits kept
        before = review.read_bytes()
        c = _office(ctx, site)
        c.goto(site.settings.base_url + "/review")
        stale.fill("#score-I25", "2")  # its I25 row is stale: tab A saved the row since it loaded
        with stale.expect_response(lambda r: r.request.method == "POST") as resp:
            stale.click("#row-I25 button")
        assert resp.value.status == 409
        text = stale.inner_text("#conflict")
        assert "现在保存的是：核定得分「1」" in text and "您这次填写的是：核定得分「2」" in text
        assert review.read_bytes() == before  # nothing written
        note = "经核实，材料已补充（得分不变）"  # without a score; its full-width punctuation kept
        _save_row(c, "I01", note=note)
        assert c.input_value("#note-I01") == note and "已保存说明" in c.inner_text("#row-I01")
        _save_row(c, "I26", score="很多", answer="#refused")
        assert "核定得分「很多」无效" in c.inner_text("#refused") and c.input_value("#score-I26") == "很多"
        assert api.review_entries(review, spec=site.workspace.spec)["I26"][0] == "1"
    site.workspace.wait(120)
    got = {i["key"]: i for i in _scores(site)["indicators"]}
    assert got["I25"]["score"] == 1 and got["I26"]["score"] == 1 and got["I25"]["status"] == "overridden"


def test_reference_figures_entered_on_the_page_are_applied_at_the_next_run(site, browser):
    with browser_context(browser) as ctx:
        page = _office(ctx, site)
        page.goto(site.settings.base_url + "/references")
        text = page.inner_text("#references")
        assert "2024年全国网络消费纠纷调解成功率" in text and "national" not in page.inner_text("main")
        row = page.locator("#references tr", has_text="2024年全国网络消费纠纷调解成功率")
        row.locator("input").nth(0).fill("约85")
        page.click("#references-save")
        assert "不是数字" in page.inner_text("#reference-problems") and not site.workspace.reference_path.exists()
        row = page.locator("#references tr", has_text="2024年全国网络消费纠纷调解成功率")
        row.locator("input").nth(0).fill("85.3")
        row.locator("input").nth(1).fill("中国消费者协会")
        row.locator("input").nth(2).fill("2025-03-15")
        page.click("#references-save")
        page.wait_for_selector(".flash")
        wait_idle(page)
    refs, _ = api.read_references(site.workspace.reference_path, spec=site.workspace.spec, year=2024)
    assert [(r.key, str(r.value)) for r in refs] == [("national.mediation_success_rate@2024", "85.3")]
    entry = api.reference_entries(site.workspace.reference_path)["national.mediation_success_rate@2024"]
    assert (entry.source, entry.date) == ("中国消费者协会", "2025-03-15")
    site.workspace.wait(120)
    crit = [c for i in _scores(site)["indicators"] for c in i["criteria"] if c["key"] == "I25.2"][0]
    assert crit["status"] != "review"


def test_a_long_name_re_uploaded_20_times_returns_within_2_seconds_each(site, browser):
    with browser_context(browser) as ctx:
        page = _office(ctx, site)
        for stem in ("甲" * 300, "a" * 300):
            for n in range(10):
                page.goto(site.settings.base_url + "/upload")
                page.set_input_files(
                    "#files",
                    files=[
                        {
                            "name": f"{stem}.xlsx",
                            "mimeType": "application/octet-stream",
                            "buffer": f"{stem[0]}{n}".encode(),
                        }
                    ],
                )
                start = time.monotonic()
                with page.expect_response(lambda r: r.request.method == "POST"):
                    page.click("#upload-button")
                assert time.monotonic() - start <= 10.0  # the old store looped forever on the 2nd upload
                page.wait_for_selector("#upload-results")
        names = [p.name for p in site.workspace.folder("报送").iterdir() if p.name.startswith(("甲甲", "aa"))]
        assert len(names) == 20 and all(len(n) <= 120 for n in names)
        for name in names:  # withdrawn through the page
            page.goto(site.settings.base_url + "/upload")
            page.click(f"#stored-files tr[data-name='{name}'] button")
            page.wait_for_selector(".flash")
        assert not [p for p in site.workspace.folder("报送").iterdir() if p.name in names]
        assert len(list((site.workspace.root / "已撤回").iterdir())) == 20
    site.workspace.wait(120)


def test_the_zip_of_ten_19_mb_members_is_refused_with_nothing_stored_and_a_big_file_is_named(site, browser):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for n in range(10):
            zf.writestr(f"单位{n}.xlsx", b"\0" * (19 * MB))
    before = sorted(p.name for p in site.workspace.folder("报送").iterdir())
    with browser_context(browser) as ctx:
        page = _office(ctx, site)
        page.goto(site.settings.base_url + "/upload")
        page.set_input_files(
            "#files", files=[{"name": "全部.zip", "mimeType": "application/zip", "buffer": buf.getvalue()}]
        )
        page.click("#upload-button")
        page.wait_for_selector("#upload-results")
        assert "为安全起见未打开" in page.inner_text("#upload-results")
        big = {"name": "大文件.xlsx", "mimeType": "application/octet-stream", "buffer": b"\0" * (20 * MB + 1)}
        page.set_input_files("#files", files=[big])
        assert "「大文件.xlsx」超过每个文件20MB" in page.inner_text("#size-error")  # said before sending
    assert sorted(p.name for p in site.workspace.folder("报送").iterdir()) == before


def test_a_units_re_upload_supersedes_its_file_in_the_view_and_the_warnings(site, browser):
    sample = next(p for p in samples() if "_市发改局_" in p.name)
    with browser_context(browser) as ctx:
        page = ctx.new_page()
        for version in (b"", b"-2"):
            page.goto(unit_link(site.settings, "市发改局"))
            data = sample.read_bytes()
            page.set_input_files(
                "#files",
                files=[
                    {
                        "name": f"发改局{version.decode()}.xlsx",
                        "mimeType": "application/octet-stream",
                        "buffer": data if not version else _resaved(data),
                    }
                ],
            )
            page.click("#upload-button")
            page.wait_for_selector("#unit-result")
        assert "已替换本单位之前上传的文件" in page.inner_text("#unit-result")
    site.workspace.wait(120)
    doc = _scores(site)
    assert not [i for i in doc["issues"] if i["code"] == "duplicate_submission" and "发改局" in i["message"]]
    with browser_context(browser) as ctx:
        page = _office(ctx, site)
        page.goto(site.settings.base_url + "/units")
        assert "历史版本" in page.inner_text("#units tr[data-unit='市发改局']")


def _resaved(data: bytes) -> bytes:
    """The same workbook with other bytes (a re-save): its members rewritten in another order."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for info in src.infolist():
            zf.writestr(info.filename, src.read(info), compresslevel=1)
    return out.getvalue()


def _pages(running) -> list[str]:
    st = running.settings
    return [st.base_url + p for p in OFFICE_PAGES] + [unit_link(st, "市统计局"), st.base_url + "/nowhere"]


def test_axe_core_finds_no_violation_on_any_page(site, browser):
    """None of any impact: critical and serious ones are the issue's bar; the moderate and minor
    ones fixed (landmarks, heading order, one h1) stay fixed."""
    with browser_context(browser, bypass_csp=True) as ctx:
        page = _office(ctx, site)
        found = {}
        for url in _pages(site):
            page.goto(url)
            found[url] = listed(violations(page))
        for state, answer in _answered_states(page, site):
            found[state] = listed(violations(page)) if answer else ["the page did not show it"]
        stranger = browser.new_context(bypass_csp=True, locale="zh-CN").new_page()
        stranger.goto(site.settings.base_url + "/issues")  # the 403 page
        found["403"] = listed(violations(stranger))
        stranger.context.close()
    assert not {k: v for k, v in found.items() if v}


def _answered_states(page, running):
    """The pages' answers to what people send: a stale 核定 row (409), a refused score (422), a
    参考值 refused (422), a file too big said before sending. Yields (state, shown) at each."""
    review, spec = running.workspace.review_path, running.workspace.spec
    page.goto(running.settings.base_url + "/review")
    now = api.review_entries(review, spec=spec).get("I30")
    api.save_review_row(review, "I30", "1", "另一页面保存", api.review_row_version(now), spec=spec)
    _save_row(page, "I30", score="2", answer="#conflict")
    yield "review 409", page.is_visible("#conflict")
    _save_row(page, "I31", score="很多", answer="#refused")
    yield "review 422", page.is_visible("#refused")
    page.goto(running.settings.base_url + "/references")
    page.locator("#references input").first.fill("约85")
    page.click("#references-save")
    yield "references 422", page.is_visible("#reference-problems")
    page.goto(running.settings.base_url + "/upload")
    big = {"name": "大文件.xlsx", "mimeType": "application/octet-stream", "buffer": b"\0" * (20 * MB + 1)}
    page.set_input_files("#files", files=[big])
    yield "upload too big", page.is_visible("#size-error")


def test_no_page_scrolls_sideways_at_390_px_and_the_review_inputs_are_reachable(site, browser):
    with browser_context(browser, width=390) as ctx:
        page = _office(ctx, site)
        wide = {}
        for url in _pages(site):
            page.goto(url)
            width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
            if width[0] > width[1]:
                wide[url] = width
        assert not wide
        page.goto(site.settings.base_url + "/review")
        box = page.locator("#score-I25")
        box.scroll_into_view_if_needed()
        assert box.is_visible()
        b = box.bounding_box()
        assert b is not None and 0 <= b["x"] and b["x"] + b["width"] <= 390
        box.fill("0")  # typed where it is: reachable
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
        assert page.goto(site.settings.base_url + "/favicon.ico").status == 200


def test_a_county_other_than_yongji_is_served_from_its_configuration_and_system(tmp_path, browser):
    config = api.init_office(tmp_path / "临猗", "临猗县", from_yongji=True)
    system = api.export_system(tmp_path / "指标体系.xlsx")
    ws = Workspace.open(tmp_path / "工作区", config=config, system=system)
    from web_support import serving_workspace

    with serving_workspace(ws, lan=True) as running, browser_context(browser) as ctx:
        page = _office(ctx, running)
        page.goto(running.settings.base_url + "/templates")
        page.click("#templates-button")
        page.wait_for_selector("#template-files")
        files = page.inner_text("#template-files")
        assert files.count(".xlsx") == len(ws.spec.units)
        names = sorted({n for u in ws.spec.units for n in (u.name, *u.aliases)}, key=len, reverse=True)
        for url in _pages(running)[:-1]:
            page.goto(url)
            text = page.inner_text("body")
            for name in names:  # the units are the configuration's (init copied Yongji's registry)
                text = text.replace(name, "")
            assert "永济" not in text, url
        page.goto(running.url)
        assert page.inner_text(".brand") == "临猗县示范区创建自评" and "临猗县" in page.title()
        page.goto(unit_link(running.settings, "市统计局"))
        assert "临猗县" in page.inner_text(".brand")
    assert Workspace.open(tmp_path / "工作区").spec.office["city"] == "临猗县"
