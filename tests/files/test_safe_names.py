from __future__ import annotations

import os
import unicodedata
from pathlib import Path

import pytest

from yongji_xls.files.safe_names import display_name, ensure_outside, safe_filename

FORBIDDEN = set('\\/:*?"<>|')


@pytest.mark.parametrize(
    ("text", "suffix", "expected"),
    [
        ("市工科局（市商务局）_问题反馈", ".xlsx", "市工科局（市商务局）_问题反馈.xlsx"),
        ("城西街道", "", "城西街道"),
        ('a/b\\c:d*e?f"g<h>i|j', ".xlsx", "a_b_c_d_e_f_g_h_i_j.xlsx"),
        ("..\\..\\Windows\\evil", "", "_.._Windows_evil"),
        ("x\x00y\nz\tw", ".docx", "x_y_z_w.docx"),
        ("\u202eslx.exe", "", "slx.exe"),  # a right-to-left override would disguise the name
        ("..隐藏", ".xlsx", "隐藏.xlsx"),
        ("结尾. . ", ".xlsx", "结尾.xlsx"),
        ("  多个   空格  ", "", "多个 空格"),
        ("", ".xlsx", "未命名.xlsx"),
        ("...", "", "未命名"),
        ("CON", ".xlsx", "_CON.xlsx"),
        ("con.txt", "", "_con.txt"),
        ("Nul ", ".xlsx", "_Nul.xlsx"),
        ("COM1", "", "_COM1"),
        ("lpt9.log", ".xlsx", "_lpt9.log.xlsx"),
        ("COM¹", "", "_COM¹"),
        ("CONSOLE", "", "CONSOLE"),
        ("COM10", "", "COM10"),
        ("COM0", ".xlsx", "_COM0.xlsx"),  # reserved since Windows 11's list, as pathvalidate knows
        ("lpt0.txt", "", "_lpt0.txt"),
        ("clock$", ".xlsx", "_clock$.xlsx"),
        ("市\u200b统\u200d计局\u2060\ufeff", ".xlsx", "市统计局.xlsx"),  # zero-width: two names that look alike
        ("Cafe\u0301", ".xlsx", "Café.xlsx"),  # NFD from a Mac becomes NFC
        ("a\x85b\x9fc", ".xlsx", "a_b_c.xlsx"),  # C1 controls
        ("\udcb2\udce2\udcb1\udca8", ".xlsx", "测报.xlsx"),  # GBK bytes as os.fsdecode leaves them
        ("\ud800坏", ".xlsx", "_坏.xlsx"),  # a lone surrogate that is no byte at all
        ("\u200b", ".xlsx", "未命名.xlsx"),
    ],
)
def test_safe_filename(text: str, suffix: str, expected: str) -> None:
    assert safe_filename(text, suffix) == expected


@pytest.mark.parametrize(
    "text",
    ["", "a" * 500, "测" * 500, "CON", ". ", "/" * 10, "x" + "\x01" * 300, "名称." * 80, "😀" * 200, "\udcff" * 9]
    + ["..", "\u202e" * 5],
)
@pytest.mark.parametrize("suffix", ["", ".xlsx", "_问题反馈.xlsx"])
def test_names_are_always_valid_and_writable(tmp_path: Path, text: str, suffix: str) -> None:
    name = safe_filename(text, suffix, max_len=120)
    assert name and name.endswith(suffix)
    assert len(name) <= 120 and len(name.encode("utf-8")) <= 255
    assert not (FORBIDDEN & set(name))
    assert not any(ord(ch) < 32 or 0xD800 <= ord(ch) <= 0xDFFF or unicodedata.category(ch) == "Cf" for ch in name)
    assert not name.startswith(".") and not name.endswith((".", " "))
    assert name.split(".")[0].rstrip().upper() not in {"CON", "PRN", "AUX", "NUL"}
    (tmp_path / name).write_bytes(b"x")
    assert (tmp_path / name).read_bytes() == b"x"


def test_length_is_counted_in_characters_and_keeps_the_suffix() -> None:
    name = safe_filename("单位" * 100, ".xlsx", max_len=20)
    assert name == "单位" * 7 + "单.xlsx" and len(name) == 20
    assert safe_filename("a" * 300, ".xlsx") == "a" * 115 + ".xlsx"
    assert safe_filename("CONSOLE", max_len=3) == "_CO"  # cut to "CON" would be a device name
    long_cjk = safe_filename("测" * 300, ".xlsx")  # 120 characters would be 360 bytes: too long for Linux
    assert len(long_cjk.encode("utf-8")) <= 255 and long_cjk.startswith("测")


def test_length_is_bounded_in_utf16_units_for_ntfs() -> None:
    name = safe_filename("😀" * 300, "", max_len=250)  # each emoji is 4 UTF-8 bytes and 2 UTF-16 units
    assert len(name.encode("utf-16-le")) // 2 <= 255 and len(name.encode("utf-8")) <= 255
    assert name == "😀" * 63


def test_no_room_for_a_name() -> None:
    with pytest.raises(ValueError):
        safe_filename("x", ".xlsx", max_len=5)


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("市统计局.xlsx", "市统计局.xlsx"),
        (os.fsdecode("报表.xlsx".encode("gbk")) if os.name != "nt" else "报表.xlsx", "报表.xlsx"),  # a Windows zip
        ("\udcff\udcfe.xls", "\ufffd\ufffd.xls"),  # neither GB18030 nor UTF-8
        ("a\x07b\x85c.xlsx", "a?b?c.xlsx"),
        ("\u202eslx.exe", "?slx.exe"),  # would read as exe.xlsx
        ("\ud800.xls", "?.xls"),
    ],
)
def test_display_name_is_valid_unicode_without_controls(name: str, shown: str) -> None:
    assert display_name(name) == shown
    shown.encode("utf-8")


# --- ensure_outside --------------------------------------------------------------------------------


def test_output_outside_input_is_fine(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    ensure_outside(tmp_path / "out", tmp_path / "in")
    ensure_outside(tmp_path / "in-out", tmp_path / "in")  # a common prefix is not containment
    ensure_outside(tmp_path, tmp_path / "in")  # the parent of the input folder holds no input


@pytest.mark.parametrize("out", ["in", "in/结果", "in/a/b", "in/../in/x", "./in"])
def test_output_inside_input_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, out: str) -> None:
    (tmp_path / "in").mkdir()
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ValueError, match="输出文件夹") as caught:
        ensure_outside(Path(out), tmp_path / "in")
    assert "输入文件夹" in str(caught.value)


def test_symlinks_are_resolved(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    link = tmp_path / "看似别处"
    try:
        os.symlink(tmp_path / "in", link, target_is_directory=True)
    except (OSError, NotImplementedError):
        pytest.skip("symlinks are not available")
    with pytest.raises(ValueError):
        ensure_outside(link / "out", tmp_path / "in")
    with pytest.raises(ValueError):
        ensure_outside(tmp_path / "in" / "out", link)
