"""Whether an encrypted OOXML package may be handed to msoffcrypto-tool to try Excel's default password.

msoffcrypto-tool runs in the main process, on bytes a unit sent, so its two unbounded steps are
checked first (measured in benchmarks/bench_ole_names.py): it parses an agile EncryptionInfo with
``xml.dom.minidom`` (8 MB of ``<x/>`` took 9 s and 540 MB), and it hashes the password
``spinCount`` times in a Python loop (it caps the count at 10 000 000: 4.3 s; older releases have
no cap). Excel and LibreOffice write a spinCount of 100 000 and an EncryptionInfo of about 1 KB.
olefile (under msoffcrypto-tool) trusts the header's FAT and DIFAT counts, so they must agree with
what :class:`~.cfb.Cfb` found. Anything else stays ``file_encrypted``: the unit is asked to remove
the password, which is what it would be asked anyway.
"""

from __future__ import annotations

import re
import struct

from .cfb import Cfb

MAX_INFO = 64 << 10
MAX_SPIN = 1_000_000  # ten times Excel's; about 0.5 s of SHA-512 in msoffcrypto-tool's loop
_SPIN = re.compile(rb"spinCount\s*=\s*[\"']\s*(\d{1,12})\s*[\"']")
_SPIN_ANY = re.compile(rb"spinCount", re.IGNORECASE)


def may_try_default_password(cfb: Cfb) -> bool:
    """True when every EncryptionInfo stream is small, without a DTD, and asks for a bounded hash."""
    if not cfb.counts_agree:
        return False
    infos = cfb.entries("EncryptionInfo")
    if not infos or not cfb.entries("EncryptedPackage"):
        return False
    try:
        return all(_info_ok(cfb.stream(e, MAX_INFO)) for e in infos if e.kind == 2)
    except (ValueError, struct.error):
        return False


def _info_ok(info: bytes) -> bool:
    if len(info) < 8:
        return False
    major, minor = struct.unpack_from("<HH", info, 0)
    if (major, minor) != (4, 4):
        return major in (2, 3, 4) and minor == 2  # standard encryption: a fixed 50 000 SHA-1 rounds
    xml = info[8:]
    if b"<!" in xml or b"\0" in xml:  # a DTD (entities), or UTF-16 that would hide one
        return False
    spins = _SPIN.findall(xml)  # none: no password key encryptor, so no password can open it
    return bool(spins) and len(spins) == len(_SPIN_ANY.findall(xml)) and all(int(s) <= MAX_SPIN for s in spins)
