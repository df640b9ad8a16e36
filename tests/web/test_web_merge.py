"""What main's issues 19 and 20 added, as the pages show it: a template sent back untouched is
未填写 on 报送情况 and counted on 总览, 下载 offers every file ``run`` wrote (the manifest), and no
page shows a key, a flag or a stray Latin word (the shared detector, tests/support/leaks.py)."""

from __future__ import annotations

import io
import json
import re
import zipfile
from html.parser import HTMLParser
from urllib.parse import unquote

import pytest
from leaks import leaks_in, typed_latin
from web_support import SAMPLES, Client, serving

from yongji_xls import api
from yongji_xls.web.settings import unit_link
from yongji_xls.web.workspace import RESULTS

UNIT = "市统计局"


def _row_state(html: str, unit: str) -> str:
    row = rf'<tr data-unit="{unit}" data-state="([^"]*)">.*?<span class="state [^"]*">([^<]*)</span>'
    found = re.search(row, html, re.S)
    assert found, f"no row for {unit}"
    assert found.group(1) == found.group(2)
    return found.group(2)


def _count(html: str, name: str) -> int:
    found = re.search(rf'<dd id="count-{name}"[^>]*>(\d+)</dd>', html)
    assert found, f"no count-{name} on 总览"
    return int(found.group(1))


def test_a_template_sent_back_untouched_is_unfilled_on_the_units_page_and_counted_on_the_overview(tmp_path, spec):
    [template] = api.write_templates(tmp_path / "模板", spec=spec, year=2024, units=[UNIT])
    with serving(tmp_path / "ws") as running:
        c = Client(running)
        c.get("/")
        status, html = c.post("/upload", {"csrf": c.csrf}, [("files", template.name, template.read_bytes())])
        assert status == 200 and UNIT in html
        running.workspace.wait(300)
        assert running.workspace.job.error == ""
        units = c.get("/units")[1]
        assert _row_state(units, UNIT) == "未填写"
        overview = c.get("/")[1]
        assert _count(overview, "unfilled") == 1
        counted = sum(_count(overview, k) for k in ("submitted", "resubmit", "unfilled", "missing"))
        assert counted == len(spec.units)
        assert "未填写" in overview


def test_the_downloads_offer_every_file_the_run_wrote(tmp_path, spec):
    root = tmp_path / "ws"
    with serving(root) as running:
        c = Client(running)
        c.get("/")
        files = [("files", p.name, p.read_bytes()) for p in sorted(SAMPLES.iterdir()) if p.is_file()]
        assert c.post("/upload", {"csrf": c.csrf}, files)[0] == 200
        running.workspace.wait(300)
        assert running.workspace.job.error == ""
        results = root / RESULTS
        manifest = json.loads((results / ".yongji-outputs.json").read_text("utf-8"))["files"]
        assert any(f.startswith("内部工作提示_") for f in manifest)
        page = c.get("/downloads")[1]
        offered = set(re.findall(r'href="/download/([a-z_]+)"', page))
        assert {"breakdown", "report", "brief", "scores", "all"} <= offered
        served: dict[str, list[bytes]] = {}
        for what in sorted(offered - {"templates"}):
            for name, bodies in _files_of(c, what).items():
                served.setdefault(name, []).extend(bodies)
        missing = [f for f in manifest if (results / f).read_bytes() not in served.get(f.rsplit("/", 1)[-1], [])]
        assert not missing, f"written by run but not offered on 下载: {missing}"


def _files_of(c: Client, what: str) -> dict[str, list[bytes]]:
    """File name -> the bytes a download serves (a zip's members by their own names)."""
    status, data = c.request_bytes("GET", f"/download/{what}")
    assert status == 200, what
    disposition = c.headers.get("content-disposition", "")
    quoted = re.search(r"filename\*=UTF-8''([^;]+)", disposition)
    plain = re.search(r'filename="?([^";]+)"?', disposition)
    shown = unquote(quoted.group(1)) if quoted else plain.group(1) if plain else ""
    if not shown.endswith(".zip"):
        return {shown: [data]}
    out: dict[str, list[bytes]] = {}
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for m in zf.namelist():
            out.setdefault(m.rsplit("/", 1)[-1], []).append(zf.read(m))
    return out


class _Visible(HTMLParser):
    """The text a person sees or hears on a page: text nodes outside script/style, and the
    placeholder, title and aria-label attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._hidden += 1
        self.texts += [v for k, v in attrs if k in ("placeholder", "title", "aria-label") and v]

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden and data.strip():
            self.texts.append(data.strip())


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("leaks")
    with serving(tmp / "ws", lan=True) as running:
        c = Client(running)
        c.get(running.url.removeprefix(running.settings.base_url))
        files = [("files", p.name, p.read_bytes()) for p in sorted(SAMPLES.iterdir()) if p.is_file()]
        assert c.post("/upload", {"csrf": c.csrf}, files)[0] == 200
        running.workspace.wait(300)
        late = next(u.unit for u in running.workspace.result.units if u.state == "未报送")
        [template] = api.write_templates(tmp / "模板", spec=running.workspace.spec, year=2024, units=[late])
        assert c.post("/upload", {"csrf": c.csrf}, [("files", template.name, template.read_bytes())])[0] == 200
        running.workspace.wait(300)
        yield running, c, late


def test_no_page_shows_a_key_a_flag_or_a_stray_latin_word(site):
    running, c, late = site
    result = running.workspace.result
    assert next(u.state for u in result.units if u.unit == late) == "未填写"
    pages = ["/", "/upload", "/units", "/indicators", "/issues", "/review", "/references", "/downloads"]
    pages += ["/templates", "/nowhere"] + [f"/indicators/{i.key}" for i in result.spec.indicators]
    allow = {
        "xlsx",
        "xlsm",
        "xls",
        "ods",
        "json",
        "yaml",
        "docx",
        "zip",
        "MB",
        "csv",
        "scores",
        *typed_latin(result),
    }  # scores: the file scores.json
    allow |= set(re.findall(r"[A-Za-z]{2,}", str(running.workspace.root)))  # where the files are (下载)
    found = {}
    for path in pages:
        parser = _Visible()
        parser.feed(c.get(path)[1])
        found.update({f"{path}: {t}": v for t, v in leaks_in(parser.texts, allow).items()})
    unit = Client(running)
    parser = _Visible()
    parser.feed(unit.get(unit_link(running.settings, late).removeprefix(running.settings.base_url))[1])
    found.update({f"unit page: {t}": v for t, v in leaks_in(parser.texts, allow).items()})
    refused = {  # the 400 of a foreign Host header, the 403 of a POST without the page's token
        "bad host": Client(running, host=f"example.org:{running.port}").get("/"),
        "stale form": c.post("/run", {"csrf": "not-the-cookie"}),
    }
    assert [status for status, _ in refused.values()] == [400, 403]
    for name, (_, html) in refused.items():
        parser = _Visible()
        parser.feed(html)
        found.update({f"{name}: {t}": v for t, v in leaks_in(parser.texts, allow).items()})
    assert not found, "\n".join(f"{k} -> {v}" for k, v in found.items())


def test_a_failed_runs_banner_shows_no_key_flag_or_command(tmp_path, spec, monkeypatch):
    """A fatal error's advice on the page is the page's own (templates made on the 模板 page, the
    system chosen when the page is started), never the command line's."""

    def other_system(*a, **k):
        raise api.YongjiError("other_system", found="版本2023.1", title=spec.title, version="2024.1")

    monkeypatch.setattr(api, "run", other_system)
    with serving(tmp_path / "ws") as running:
        running.workspace.start_run()
        running.workspace.wait(60)
        status, html = Client(running).get("/")
    parser = _Visible()
    parser.feed(html)
    assert status == 200 and any("未汇总" in t for t in parser.texts)
    banner = re.search(r'<span id="job-error">(.*?)</span>', html, re.S).group(1)
    assert "“模板”页" in banner
    assert not leaks_in(parser.texts, {"xlsx"}), leaks_in(parser.texts, {"xlsx"})
