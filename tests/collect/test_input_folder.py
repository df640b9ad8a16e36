"""What the input folder holds besides submissions: lock files, Mac forks, archives, CSV, the
tool's own outputs, file names that are not valid Unicode, a .zip of workbooks and a zip bomb."""

from __future__ import annotations

import os
from decimal import Decimal

import pytest
from helpers import CONTACT, fill_workbook, write_outputs
from returned import TAX, tax_file

from yongji_xls.collect.run import run
from yongji_xls.workbook.read.reader import read_workbook

YEAR = 2024


@pytest.mark.skipif(os.name == "nt", reason="surrogate-escaped names exist only on POSIX file systems")
def test_gbk_file_name_from_a_windows_zip(spec, templates, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    raw = "城东街道报送.xlsx".encode("gbk")
    name = os.fsdecode(raw)
    assert any("\udc80" <= ch <= "\udcff" for ch in name)
    tax_file(templates, folder / name, {"total_tax": "abc"})
    result = run(spec, folder, YEAR)
    out = write_outputs(result, tmp_path / "out")
    assert result.submissions[0].file == "城东街道报送.xlsx"
    assert any(i.file == "城东街道报送.xlsx" and i.code == "value_not_number" for i in result.report)
    assert "城东街道报送.xlsx" in out["scores"].read_text(encoding="utf-8")


@pytest.mark.skipif(os.name == "nt", reason="Windows file names cannot hold control characters")
def test_control_character_in_a_file_name(spec, templates, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    tax_file(templates, folder / "税务\x01局.xlsx", {"total_tax": "abc"})
    result = run(spec, folder, YEAR)
    out = write_outputs(result, tmp_path / "out")
    assert result.submissions[0].file == "税务?局.xlsx" and out["breakdown"].is_file()
    assert any(i.file == "税务?局.xlsx" and i.code == "value_not_number" for i in result.report)


def test_lock_files_mac_forks_archives_csv_and_old_outputs(spec, templates, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    tax_file(templates, folder / "税务局.xlsx")
    (folder / "~$税务局.xlsx").write_bytes(b"\x00lock")
    (folder / ".~lock.税务局.xlsx#").write_text("lock")
    (folder / "._税务局.xlsx").write_bytes(b"\x00\x05\x16\x07")
    (folder / "__MACOSX").mkdir()
    (folder / "__MACOSX" / "._税务局.xlsx").write_bytes(b"\x00\x05\x16\x07")
    (folder / "城东街道.rar").write_bytes(b"Rar!\x1a\x07\x00")
    (folder / "报表.7z").write_bytes(b"7z\xbc\xaf\x27\x1c")
    (folder / "导出.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    first = run(spec, folder, YEAR)
    old = folder / "上次结果"
    write_outputs(first, old)
    result = run(spec, folder, YEAR)
    by_file = {i.file: i for i in result.report if i.file}
    assert not any(f.startswith(("~$", ".~lock", "._", "__MACOSX")) for f in by_file)
    assert by_file["城东街道.rar"].code == "file_archive" and "解压" in by_file["城东街道.rar"].message
    assert by_file["报表.7z"].code == "file_archive"
    assert by_file["导出.csv"].code == "file_csv" and by_file["导出.csv"].severity == "warning"
    assert by_file["上次结果"].code == "file_own_output" and by_file["上次结果"].severity == "info"
    assert not any(f.startswith("上次结果/") for f in by_file)
    assert [s.file for s in result.submissions] == ["税务局.xlsx"] and result.values["total_tax"] == Decimal(10000)


def test_breakdown_workbook_in_the_input_is_skipped(spec, templates, tmp_path):
    import shutil

    folder = tmp_path / "in"
    folder.mkdir()
    tax_file(templates, folder / "税务局.xlsx")
    out = write_outputs(run(spec, folder, YEAR), tmp_path / "out")
    shutil.copyfile(out["breakdown"], folder / "任务分解表.xlsx")
    result = run(spec, folder, YEAR)
    [own] = [i for i in result.report if i.file == "任务分解表.xlsx"]
    assert own.code == "file_own_output" and own.severity == "info"
    assert result.unit_status(TAX).used_file == "税务局.xlsx"


def test_templates_carry_kind(spec, templates):
    sub = read_workbook(spec, templates[TAX], "t.xlsx", YEAR)
    assert sub.meta["kind"] == "template"


def test_zip_of_workbooks_is_read(spec, templates, tmp_path):
    import zipfile

    class GbkName(zipfile.ZipInfo):  # what Windows' "send to compressed folder" writes for Chinese names
        def _encodeFilenameFlags(self):
            return self.filename.encode("gbk"), self.flag_bits & ~0x800

    tax = tax_file(templates, tmp_path / "税务局.xlsx")
    post = fill_workbook(
        templates["市邮政分公司"], {"express_volume@2024": 1600}, tmp_path / "邮政.xlsx", contact=CONTACT
    )
    folder = tmp_path / "in"
    folder.mkdir()
    with zipfile.ZipFile(folder / "第一批.zip", "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(GbkName("报送/市税务局报表.xlsx"), tax.read_bytes())
        z.write(post, "邮政.xlsx")
        z.writestr("__MACOSX/._邮政.xlsx", b"\x00\x05\x16\x07")
        z.writestr("../../逃逸.xlsx", b"not a workbook")
        z.writestr("说明.txt", "见附件")
    before = (folder / "第一批.zip").read_bytes()
    result = run(spec, folder, YEAR)
    files = sorted(s.file for s in result.submissions)
    assert files == ["第一批.zip/../../逃逸.xlsx", "第一批.zip/报送/市税务局报表.xlsx", "第一批.zip/邮政.xlsx"]
    assert result.values["total_tax"] == Decimal(10000) and result.values["express_volume@2024"] == Decimal(1600)
    assert any(i.file == "第一批.zip/说明.txt" and i.code == "file_unsupported" for i in result.report)
    assert any(i.file == "第一批.zip/../../逃逸.xlsx" and i.code == "file_not_workbook" for i in result.report)
    assert not (tmp_path / "逃逸.xlsx").exists() and not (folder.parent.parent / "逃逸.xlsx").exists()
    assert sorted(p.name for p in folder.iterdir()) == ["第一批.zip"] and (folder / "第一批.zip").read_bytes() == before


def test_zip_bomb_container_is_refused(spec, tmp_path):
    from hostile import make_zip_bomb

    folder = tmp_path / "in"
    folder.mkdir()
    make_zip_bomb(tmp_path).rename(folder / "炸弹.zip")
    result = run(spec, folder, YEAR)
    assert [(i.file, i.code) for i in result.report if i.file] == [("炸弹.zip", "file_zip_bomb")]
