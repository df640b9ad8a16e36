"""The OLE checks and the file names, against the libraries that could replace them (issue 13).

Run ``python benchmarks/bench_ole_names.py [--quick]``. Every candidate meets every file of
``tests/support/hostile_ole.py`` (plus a LibreOffice .xls and a Word .doc renamed .xls) in a
fresh process with a 20 s timeout and a 1.5 GB address-space limit (POSIX ``resource``; this
script is not on any product path). For each it prints the verdict (``ok`` / ``encrypted`` /
``not_workbook`` / ``corrupt`` / ``too_large``, or ``exc:Type`` for an exception the candidate
does not document, ``HANG``, ``CRASH``, ``MEMORY``), the time and the peak RSS of the process.
Then the import time and the per-file time on normal files, and the file-name comparison.

Candidates for the OLE checks:

* ``ours``: ``preflight()`` (the bounded ``Cfb`` plus, for encrypted OOXML, msoffcrypto-tool for
  Excel's default password only);
* ``olefile``: ``olefile.OleFileIO`` (default ``raise_defects=DEFECT_FATAL``), then the Workbook
  stream's first 512 bytes through ``biff_filepass``;
* ``olefile_strict``: the same with ``raise_defects=DEFECT_INCORRECT``;
* ``msoffcrypto``: ``msoffcrypto.OfficeFile(f)`` and ``is_encrypted()``, as an encryption detector;
* ``msoff_decrypt``: ``OfficeFile``, ``load_key(VelvetSweatshop)`` and ``decrypt`` unguarded, as
  pre-flight would run it without its own checks first.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "support"))

CANDIDATES = ("ours", "olefile", "olefile_strict", "msoffcrypto", "msoff_decrypt")
TIMEOUT = 20
MEMORY = 1536 << 20
_VERDICT = {
    "file_corrupt": "corrupt",
    "file_encrypted": "encrypted",
    "file_not_workbook": "not_workbook",
    "file_too_large": "too_large",
    None: "ok",
}


# --- the child: one candidate, one file ---------------------------------------------------------


def verdict(candidate: str, path: Path) -> str:
    if candidate == "ours":
        from yongji_xls.workbook.read.safety.preflight import preflight

        result = preflight(path, path.name)
        return "ok" if result.ok else _VERDICT.get(result.issues[0].code, result.issues[0].code)
    if candidate.startswith("olefile"):
        import olefile

        from yongji_xls.workbook.read.safety.cfb import biff_filepass

        level = olefile.DEFECT_INCORRECT if candidate == "olefile_strict" else olefile.DEFECT_FATAL
        try:
            with olefile.OleFileIO(str(path), raise_defects=level) as ole:
                if ole.exists("EncryptionInfo"):
                    return "encrypted"
                name = next((n for n in ("Workbook", "Book") if ole.get_type(n) == olefile.STGTY_STREAM), None)
                if name is None:
                    return "not_workbook"
                return "encrypted" if biff_filepass(ole.openstream(name).read(512)) else "ok"
        except (OSError, olefile.olefile.OleFileError) as e:  # what olefile documents
            return f"corrupt:{type(e).__name__}"
    import io

    import msoffcrypto
    import olefile
    from msoffcrypto.exceptions import DecryptionError, FileFormatError, InvalidKeyError

    with path.open("rb") as f:
        try:  # every exception msoffcrypto-tool and olefile document counts as a clean answer
            office = msoffcrypto.OfficeFile(f)
            if candidate == "msoffcrypto":
                return "encrypted" if office.is_encrypted() else "ok"
            if office.format != "ooxml":
                return "n/a"  # pre-flight decrypts encrypted OOXML only
            office.load_key(password="VelvetSweatshop")
            office.decrypt(io.BytesIO())
        except FileFormatError:
            return "not_workbook"
        except (DecryptionError, InvalidKeyError):
            return "encrypted"
        except (OSError, olefile.olefile.OleFileError) as e:
            return f"corrupt:{type(e).__name__}"
        return "ok"


def _peak_rss() -> int:
    """This process's peak RSS (VmHWM; ru_maxrss would include the parent's, inherited at fork)."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return 0


def child(candidate: str, path: str) -> None:
    start = time.perf_counter()
    try:
        out = verdict(candidate, Path(path))
    except MemoryError:
        out = "MEMORY"
    except BaseException as e:  # noqa: BLE001 - the point is to see what escapes
        out = f"exc:{type(e).__name__}"
    seconds = time.perf_counter() - start
    rss = _peak_rss()
    print(json.dumps({"verdict": out, "seconds": seconds, "rss": rss}))


def run_child(candidate: str, path: Path) -> dict:
    import resource

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))

    cmd = [sys.executable, __file__, "--child", candidate, str(path)]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT, preexec_fn=limit, cwd=ROOT)
    except subprocess.TimeoutExpired:
        return {"verdict": "HANG", "seconds": TIMEOUT, "rss": 0}
    if done.returncode != 0 or not done.stdout.strip():
        tail = (done.stderr.strip().splitlines() or [""])[-1]
        return {"verdict": "MEMORY" if "MemoryError" in tail else f"CRASH({done.returncode})", "seconds": 0, "rss": 0}
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- the tables ----------------------------------------------------------------------------------


def ole_table(dir: Path, quick: bool) -> None:
    import hostile
    import hostile_ole

    cases = dict(hostile_ole.CASES)
    cases["libreoffice_xls"] = (hostile.make_xls, None)
    if quick:
        cases = {k: v for k, v in cases.items() if not k.startswith(("sparse", "encrypted_spin"))}
    print(f"{'case':28} {'expected':13} " + " ".join(f"{c:>24}" for c in CANDIDATES))
    clean, right = dict.fromkeys(CANDIDATES, 0), dict.fromkeys(CANDIDATES, 0)
    for name, (maker, code) in cases.items():
        path = maker(dir)
        row = []
        for c in CANDIDATES:
            r = run_child(c, path)
            v = r["verdict"]
            clean[c] += not v.startswith(("exc:", "HANG", "CRASH", "MEMORY"))
            right[c] += v.split(":")[0] == _VERDICT[code] or v == "n/a"
            row.append(f"{v[:12]:>12} {r['seconds']:5.2f}s {r['rss'] / (1 << 20):4.0f}M")
        print(f"{name:28} {_VERDICT[code]:13} " + " ".join(f"{x:>24}" for x in row), flush=True)
    print(f"\nclean outcome (no exception, hang, crash or memory error) out of {len(cases)}: {clean}")
    print(f"expected verdict (n/a counts) out of {len(cases)}: {right}\n")


_IMPORTS = {
    "ours (cfb)": "import yongji_xls.workbook.read.safety.cfb",
    "olefile": "import olefile",
    "msoffcrypto": "import msoffcrypto",
    "pathvalidate": "import pathvalidate",  # not a dependency (pip install pathvalidate to measure)
    "safe_names": "import yongji_xls.files.safe_names",
}


def import_times() -> None:
    for label, stmt in _IMPORTS.items():
        runs = []
        for _ in range(5):
            code = f"import time; t = time.perf_counter(); {stmt}; print(time.perf_counter() - t)"
            out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
            if out.returncode:
                break
            runs.append(float(out.stdout))
        shown = f"{statistics.median(runs) * 1000:7.1f} ms (median of 5, fresh process)" if runs else "not installed"
        print(f"import {label:16} {shown}")


def per_file_times(dir: Path) -> None:
    import hostile
    import hostile_ole
    import olefile

    from yongji_xls.workbook.read.safety.cfb import Cfb, biff_filepass

    files = {"LibreOffice .xls": hostile.make_xls(dir), "100k entries": hostile_ole.make_many_entries(dir)}

    def ours(p: Path) -> None:
        with p.open("rb") as f:
            cfb = Cfb(f, p.stat().st_size)
            book = cfb.workbook()
            cfb.check_chain(book)
            biff_filepass(cfb.head(book))

    def ole(p: Path) -> None:
        try:
            with olefile.OleFileIO(str(p)) as o:
                biff_filepass(o.openstream("Workbook").read(512))
        except RecursionError:
            pass

    def office(p: Path) -> None:
        import msoffcrypto

        with p.open("rb") as f:
            try:
                msoffcrypto.OfficeFile(f).is_encrypted()
            except RecursionError:
                pass

    def whole(p: Path) -> None:
        from yongji_xls.workbook.read.safety.preflight import preflight

        preflight(p, p.name)

    for label, path in files.items():
        for name, fn in (("ours", ours), ("olefile", ole), ("msoffcrypto", office), ("preflight()", whole)):
            n = 200 if path.stat().st_size < 1 << 20 else 3
            runs = []
            for _ in range(n):
                t = time.perf_counter()
                fn(path)
                runs.append(time.perf_counter() - t)
            print(f"{label:18} {name:12} {statistics.median(runs) * 1000:8.3f} ms per file (median of {n})")


# --- file names ----------------------------------------------------------------------------------

NAMES = [
    ("reserved", "CON", ".xlsx"),
    ("reserved+ext", "con.txt", ""),
    ("superscript", "COM¹", ".xlsx"),
    ("reserved+space", "LPT1 ", ".xlsx"),
    ("CONIN$", "CONIN$", ""),
    ("trailing dots", "结尾. . ", ".xlsx"),
    ("dotdot", "..", ""),
    ("slashes", "..\\..\\Windows/evil", ".xlsx"),
    ("NUL+control", "x\x00y\nz\x1bw", ".docx"),
    ("forbidden", 'a<b>c:d"e|f?g*h', ".xlsx"),
    ("C1 control", "a\x85b\x9fc", ".xlsx"),
    ("RTL override", "\u202eslx.exe", ""),
    ("zero width", "市\u200b统\u200d计局\ufeff", ".xlsx"),
    ("NFD", "Cafe\u0301", ".xlsx"),
    ("emoji", "😀" * 200, ".xlsx"),
    ("300 chinese", "测" * 300, ".xlsx"),
    ("300 ascii", "a" * 300, ".xlsx"),
    ("surrogates", "\udcb2\udce2报表", ".xlsx"),
    ("empty", "", ".xlsx"),
    ("only dots", "...", ""),
    ("unit", "市工科局（市商务局）_问题反馈", ".xlsx"),
    ("long unit", "01_" + "永济市某某单位" * 20 + "_2024年度填报表", ".xlsx"),
]


def _valid(name: str) -> list[str]:
    """What a stored name must be, whatever produced it: the problems found, [] when none."""
    from yongji_xls.files.safe_names import _reserved

    problems = []
    if not name:
        problems.append("empty")
    if set('\\/:*?"<>|') & set(name) or any(ord(c) < 32 or 0x7F <= ord(c) <= 0x9F for c in name):
        problems.append("forbidden")
    if any(0xD800 <= ord(c) <= 0xDFFF for c in name):
        problems.append("surrogate")
    if any(c in "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069" for c in name):
        problems.append("bidi")
    if name.endswith((".", " ")) or name.startswith(" "):
        problems.append("trailing")
    if name.startswith(".") and name not in (".", ".."):
        problems.append("hidden")
    if name in (".", ".."):
        problems.append("dots")
    if _reserved(name):
        problems.append("reserved")
    if len(name.encode("utf-8", "surrogatepass")) > 255:
        problems.append(f"{len(name.encode('utf-8', 'surrogatepass'))}B")
    if len(name.encode("utf-16-le", "surrogatepass")) // 2 > 255:
        problems.append("utf16>255")
    return problems


def names_table() -> None:
    try:
        import pathvalidate  # not a dependency: measured only
    except ImportError:
        print("file names: pip install pathvalidate to compare")
        return
    from yongji_xls.files.safe_names import safe_filename

    def pv(platform: str):
        def run(text: str, suffix: str) -> str:
            return pathvalidate.sanitize_filename(text + suffix, platform=platform)

        return run

    candidates = {
        "safe_names": safe_filename,
        "pv windows": pv("windows"),
        "pv universal": pv("universal"),
    }
    print(f"{'case':15} " + " ".join(f"{c:>34}" for c in candidates))
    holes = dict.fromkeys(candidates, 0)
    for label, text, suffix in NAMES:
        row = []
        for c, fn in candidates.items():
            try:
                out = fn(text, suffix)
                bad = _valid(out)
                if suffix and not out.endswith(suffix):
                    bad.append("lost ext")
                shown = repr(out)[1:-1] if len(out) < 18 else repr(out)[1:16] + "…"
                cell = shown + (" !" + ",".join(bad) if bad else "")
            except Exception as e:  # noqa: BLE001
                bad, cell = ["exc"], f"exc:{type(e).__name__}"
            holes[c] += bool(bad)
            row.append(cell)
        print(f"{label:15} " + " ".join(f"{x:>34}" for x in row))
    print(f"\nnames with a problem out of {len(NAMES)}: {holes}")
    for c, fn in candidates.items():
        runs = []
        for _ in range(5):
            t = time.perf_counter()
            for _ in range(200):
                for _, text, suffix in NAMES[-2:]:
                    fn(text, suffix)
            runs.append((time.perf_counter() - t) / 400)
        print(f"{c:14} {statistics.median(runs) * 1e6:7.1f} µs per name")


def main() -> None:
    if sys.argv[1:2] == ["--child"]:
        child(sys.argv[2], sys.argv[3])
        return
    quick = "--quick" in sys.argv
    with tempfile.TemporaryDirectory() as d:
        ole_table(Path(d), quick)
        import_times()
        per_file_times(Path(d))
    print()
    names_table()


if __name__ == "__main__":
    main()
