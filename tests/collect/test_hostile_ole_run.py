"""The hostile OLE corpus through the whole ``api.run``: every file gets its message, none crashes
the run or a reader worker, the inputs are untouched and a good file beside them is still scored."""

from __future__ import annotations

import hashlib
from decimal import Decimal
from pathlib import Path

import hostile_ole
import pytest
from helpers import CONTACT, fill_workbook

from yongji_xls import api

YEAR = 2024
SMALL = {name: case for name, case in hostile_ole.CASES.items() if not name.startswith(("sparse", "many"))}


def _digests(folder: Path) -> dict[str, str]:
    files = (p for p in folder.rglob("*") if p.is_file())
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory, templates: dict[str, Path]) -> tuple[Path, dict]:
    folder = tmp_path_factory.mktemp("hostile-ole-in")
    made = {}
    for case, (maker, code) in SMALL.items():
        sub = folder / case
        sub.mkdir()
        made[case] = (maker(sub), code)
    tax = {"total_tax": 10000, "ecommerce_tax": 600}
    fill_workbook(templates["市税务局"], tax, folder / "税务局.xlsx", contact=CONTACT)
    return folder, made


def test_every_ole_file_gets_its_message_and_the_good_file_is_scored(spec, corpus) -> None:
    folder, made = corpus
    before = _digests(folder)
    result = api.run(folder, spec=spec, year=YEAR)
    for case, (path, code) in made.items():
        name = str(path.relative_to(folder))
        codes = [i.code for i in result.report if i.file == name]
        if code is not None:
            assert code in codes, (case, codes)
        assert "file_read_failed" not in codes, (case, codes)  # no reader worker died or hung
    assert result.values["total_tax"] == Decimal(10000)
    assert result.card.indicator("I08").score == 2
    assert _digests(folder) == before
