"""Fonts and language that survive the office's PCs (Word and WPS on stock Windows 10/11).

GB/T 9704 names 仿宋_GB2312, 楷体_GB2312 and 方正小标宋简体; Windows ships 仿宋, 楷体, 宋体 and 黑体
but not those. A missing font is substituted by what the font table (``word/fontTable.xml``)
says about it: with no entry, Word guesses from the script and may fall back to a Western face
for the Latin runs or to MS Mincho; with ``w:altName`` and a GB2312 charset (0x86) plus panose
and family, Word and WPS substitute the named Chinese face. So every GB/T name is declared with
its stock fallback, and ``windows`` mode writes the stock names themselves.

The python-docx default template is Japanese-flavoured (``themeFontLang eastAsia=ja-JP``, theme
East-Asian faces ＭＳ 明朝): the language is set to zh-CN in styles and settings and the theme's
East-Asian faces to 宋体/黑体. No ``w:updateFields`` is written (Word would ask on opening).
"""

from __future__ import annotations

import re
from typing import Any

from ..issues import YongjiError

FONT_SETS = ("gb", "windows")
# The stock Windows face each GB/T 9704 name falls back to (and is replaced by in windows mode).
WINDOWS_NAMES = {"仿宋_GB2312": "仿宋", "楷体_GB2312": "楷体", "方正小标宋简体": "宋体"}
# name: (altName, panose1, family, pitch, usb0, usb1, usb2, csb0) — GB2312 charset 86 for all.
_FACES: dict[str, tuple[str, str, str, str, str, str, str, str]] = {
    "仿宋_GB2312": ("仿宋", "02010609030101010101", "modern", "fixed", "00000001", "080E0000", "00000010", "00040000"),
    "楷体_GB2312": ("楷体", "02010609030101010101", "modern", "fixed", "00000001", "080E0000", "00000010", "00040000"),
    "方正小标宋简体": (
        "宋体",
        "02000000000000000000",
        "auto",
        "variable",
        "00000001",
        "080E0000",
        "00000000",
        "00040000",
    ),
    "仿宋": ("FangSong", "02010609060101010101", "modern", "fixed", "800002BF", "38CF7CFA", "00000016", "00040001"),
    "楷体": ("KaiTi", "02010609060101010101", "modern", "fixed", "800002BF", "38CF7CFA", "00000016", "00040001"),
    "黑体": ("SimHei", "02010609060101010101", "modern", "fixed", "800002BF", "38CF7CFA", "00000016", "00040001"),
    "宋体": ("SimSun", "02010600030101010101", "auto", "variable", "00000003", "288F0000", "00000016", "00040001"),
}
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _part(doc: Any, name: str) -> Any:
    return next((p for p in doc.part.package.iter_parts() if str(p.partname) == name), None)


def _font_entry(name: str, declare_alt: bool) -> str:
    alt, panose, family, pitch, usb0, usb1, usb2, csb0 = _FACES[name]
    alt_xml = f'<w:altName w:val="{alt}"/>' if declare_alt else ""
    return (
        f'<w:font w:name="{name}">{alt_xml}<w:panose1 w:val="{panose}"/><w:charset w:val="86"/><w:family '
        f'w:val="{family}"/>'
        f'<w:pitch w:val="{pitch}"/><w:sig w:usb0="{usb0}" w:usb1="{usb1}" w:usb2="{usb2}" w:usb3="00000000" '
        f'w:csb0="{csb0}" w:csb1="00000000"/></w:font>'
    )


def declare_fonts(doc: Any, names: list[str]) -> None:
    """Add a font-table entry for each Chinese face used; the GB/T names first (with their
    stock fallback as ``w:altName``), then the stock faces themselves."""
    part = _part(doc, "/word/fontTable.xml")
    if part is None:
        return
    xml = part.blob.decode("utf-8")
    for existing in ("ＭＳ 明朝", "ＭＳ ゴシック"):  # the template's Japanese faces: never a fallback here
        xml = re.sub(rf'<w:font w:name="{existing}">.*?</w:font>', "", xml, flags=re.S)
    ordered = sorted(dict.fromkeys(n for n in names if n in _FACES), key=lambda n: n not in WINDOWS_NAMES)
    entries = "".join(_font_entry(n, True) for n in ordered)
    xml = re.sub(r"(<w:fonts\b[^>]*>)", lambda m: m.group(1) + entries, xml, count=1)
    part._blob = xml.encode("utf-8")


def set_language(doc: Any) -> None:
    """East-Asian language zh-CN in the style defaults, the Normal style and the settings."""
    from docx.oxml.ns import qn

    defaults = doc.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        for lang in defaults.iter(qn("w:lang")):
            lang.set(qn("w:eastAsia"), "zh-CN")
    settings = doc.settings.element
    theme_lang = settings.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:eastAsia"), "zh-CN")
    for el in settings.findall(qn("w:updateFields")):
        settings.remove(el)
    effects = _part(doc, "/word/stylesWithEffects.xml")
    if effects is not None:
        effects._blob = re.sub(rb'w:eastAsia="(?:ja-JP|en-US)"', b'w:eastAsia="zh-CN"', effects.blob)
    theme = _part(doc, "/word/theme/theme1.xml")
    if theme is not None:
        xml = theme.blob.decode("utf-8")
        xml = re.sub(r'(<a:majorFont>.*?<a:ea typeface=")[^"]*(")', r"\g<1>黑体\2", xml, count=1, flags=re.S)
        xml = re.sub(r'(<a:minorFont>.*?<a:ea typeface=")[^"]*(")', r"\g<1>宋体\2", xml, count=1, flags=re.S)
        xml = re.sub(r'<a:font script="Jpan" typeface="[^"]*"/>', "", xml)
        theme._blob = xml.encode("utf-8")


def _elements(doc: Any) -> list[Any]:
    out = [doc.element, doc.styles.element]
    for section in doc.sections:
        for footer in (section.footer, section.even_page_footer, section.first_page_footer):
            if not footer.is_linked_to_previous:
                out.append(footer._element)
    return out


def fonts_used(doc: Any) -> list[str]:
    from docx.oxml.ns import qn

    names: list[str] = []
    for el in _elements(doc):
        for fonts in el.iter(qn("w:rFonts")):
            names += [
                v
                for k, v in fonts.attrib.items()
                if k.startswith(f"{{{_W}}}") and not k.endswith("Theme") and not k.endswith("cstheme")
            ]
    return list(dict.fromkeys(names))


def use_windows_names(doc: Any) -> None:
    """Replace every GB/T 9704 font name by the stock Windows face (``--fonts windows``)."""
    from docx.oxml.ns import qn

    for el in _elements(doc):
        for fonts in el.iter(qn("w:rFonts")):
            for attr, value in list(fonts.attrib.items()):
                if value in WINDOWS_NAMES:
                    fonts.set(attr, WINDOWS_NAMES[value])


def finish_fonts(doc: Any, font_set: str = "gb") -> None:
    """The last step of writing a report: names per ``font_set``, the font table, the language."""
    if font_set not in FONT_SETS:
        raise YongjiError("fonts_invalid", fonts=font_set, choices="、".join(FONT_SETS))
    if font_set == "windows":
        use_windows_names(doc)
    used = fonts_used(doc)
    declare_fonts(doc, used + [WINDOWS_NAMES[n] for n in used if n in WINDOWS_NAMES])
    set_language(doc)
