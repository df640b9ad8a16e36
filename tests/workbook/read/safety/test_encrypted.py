"""Encrypted workbooks: Excel's default password is decrypted and read, a real password stays an error."""

from __future__ import annotations

from returned import TAX, cell_at, tax_file

from yongji_xls.collect.run import run
from yongji_xls.workbook import layout as L
from yongji_xls.workbook.read.reader import read_workbook

YEAR = 2024


def _encrypt(src, dst, password):
    from msoffcrypto.format.ooxml import OOXMLFile

    with open(src, "rb") as f, open(dst, "wb") as out:
        OOXMLFile(f).encrypt(password, out)
    return dst


def test_default_password_workbook_is_decrypted_and_read(spec, templates, tmp_path):
    plain = tax_file(templates, tmp_path / "plain.xlsx", {"total_tax": "abc"})
    path = _encrypt(plain, tmp_path / "税务局.xlsx", "VelvetSweatshop")
    assert path.read_bytes()[:4] == b"\xd0\xcf\x11\xe0"
    folder = tmp_path / "in"
    folder.mkdir()
    path.rename(folder / path.name)
    result = run(spec, folder, YEAR)
    sub = result.submissions[0]
    assert sub.readable and sub.unit == TAX and sub.number("ecommerce_tax") == 600
    assert [i.code for i in sub.issues if i.code == "file_default_password"] == ["file_default_password"]
    assert any(i.code == "value_not_number" and i.cell == cell_at(plain, "total_tax", L.H_VALUE)[1] for i in sub.issues)


def test_real_password_stays_an_error(spec, templates, tmp_path):
    path = _encrypt(tax_file(templates, tmp_path / "plain.xlsx"), tmp_path / "税务局.xlsx", "secret123")
    sub = read_workbook(spec, path, path.name, YEAR)
    assert (
        not sub.readable and [i.code for i in sub.issues] == ["file_encrypted"] and "取消密码" in sub.issues[0].message
    )
