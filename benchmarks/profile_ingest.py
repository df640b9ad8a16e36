"""Profile and fingerprint the ingest of returned workbooks (``read_one``: pre-flight, read, checks).

``python benchmarks/profile_ingest.py OUT`` builds the sets once into OUT (the bundled
``sample_workbooks/``, the benchmark's clean and messy sets, the clean set re-saved by LibreOffice
when it is installed), then:

* ``--profile FILE``: cProfile of ``read_one`` over every set (``python -m pstats FILE`` to read);
* ``--fingerprint FILE``: every Submission written as text (values, answers, lists, tasks, issues
  with their parameters, contact, meta, digest), so a change to the walk can be proved verdict
  for verdict: run it on main and on the branch and ``diff`` the two files;
* ``--time ROUNDS``: milliseconds per workbook for pre-flight, the whole ingest and
  python-calamine's raw read of the same bytes, interleaved, median of ``ROUNDS``;
* ``--ab CHECKOUT --time ROUNDS``: the same in fresh processes, this checkout and ``CHECKOUT``
  (e.g. ``/work/main``) alternately, round by round, so both sides meet the same machine load.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, os.environ.get("YONGJI_XLS_CHECKOUT", str(ROOT)))  # the code measured


def build_sets(out: Path) -> dict[str, list[Path]]:
    """The sets, built once (a second call reuses them, so main and a branch read the same bytes)."""
    from make_sample_workbooks import write_clean, write_messy

    sets = {"samples": out / "samples", "clean": out / "clean", "messy": out / "messy", "resaved": out / "resaved"}
    if not sets["samples"].exists():
        shutil.copytree(ROOT / "sample_workbooks", sets["samples"])
    if not sets["clean"].exists():
        write_clean(sets["clean"])
    if not sets["messy"].exists():
        write_messy(sets["messy"])
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not sets["resaved"].exists() and soffice:
        sets["resaved"].mkdir()
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation=file://{out / 'lo_profile'}",
                "--headless",
                "--convert-to",
                "xlsx:Calc MS Excel 2007 XML",
                "--outdir",
                str(sets["resaved"]),
                *map(str, sorted(sets["clean"].iterdir())),
            ],
            check=True,
            capture_output=True,
        )
    return {k: sorted(p for p in v.iterdir() if p.is_file()) for k, v in sets.items() if v.exists()}


def fingerprint(sub) -> str:
    """Everything a Submission carries that later stages read, one line per item, sorted where
    the order is a dict's."""
    lines = [f"# {sub.file} unit={sub.unit} year={sub.year} readable={sub.readable} round={sub.round}"]
    lines.append(f"digest={sub.digest} rows_filled={sub.rows_filled}")
    lines += [f"meta {k}={v!r}" for k, v in sorted(sub.meta.items())]
    lines += [f"contact {k}={v!r}" for k, v in sorted(sub.contact.items())]
    lines += [f"value {k}={e!r}" for k, e in sorted(sub.values.items())]
    lines += [f"answer {k}={a!r}" for k, a in sorted(sub.answers.items())]
    lines += [f"list {k}={rows!r}" for k, rows in sorted(sub.lists.items())]
    lines += [f"task {k}={t!r}" for k, t in sorted(sub.tasks.items())]
    lines += [f"rejected {k}={v!r}" for k, v in sorted(sub.rejected.items())]
    lines += [f"columns {k}={v!r}" for k, v in sorted(sub.columns.items())]
    lines += [f"issue {i!r}" for i in sub.issues]  # in order: the order is what users see
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("out", type=Path, help="folder for the sets (reused when present)")
    ap.add_argument("--profile", type=Path)
    ap.add_argument("--fingerprint", type=Path)
    ap.add_argument("--time", type=int, default=0, metavar="ROUNDS")
    ap.add_argument("--ab", metavar="CHECKOUT")
    ap.add_argument("--cpu", action="store_true", help="this process's CPU time instead of wall time")
    ap.add_argument("--json", action="store_true", help=argparse.SUPPRESS)  # one child's figures
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    sets = build_sets(args.out)
    if args.ab:
        ab(args.out, args.ab, args.time, args.cpu)
        return

    from yongji_xls.collect.read import read_one
    from yongji_xls.system.load import load_spec

    spec = load_spec()
    files = [f for fs in sets.values() for f in fs]
    read_one(spec, files[0], files[0].name, 2024)  # imports and per-spec memos outside the figures
    if args.fingerprint:
        with args.fingerprint.open("w", encoding="utf-8") as out:
            for name, fs in sets.items():
                for f in fs:
                    out.write(f"## {name}\n{fingerprint(read_one(spec, f, f.name, 2024))}\n")
        print(f"{len(files)} workbooks fingerprinted -> {args.fingerprint}")
    if args.profile:
        prof = cProfile.Profile()
        prof.enable()
        for _ in range(3):
            for f in files:
                read_one(spec, f, f.name, 2024)
        prof.disable()
        prof.dump_stats(args.profile)
        print(f"profile of 3 x {len(files)} workbooks -> {args.profile}")
    if args.time:
        figures = timings(spec, sets, args.time, time.process_time if args.cpu else time.perf_counter)
        if args.json:
            print(json.dumps(figures))
            return
        for name, (pre, total, cal) in figures.items():
            print(
                f"{name:8s} {len(sets[name]):3d} files: ingest {total:.2f} ms = pre-flight {pre:.2f} + "
                f"read {total - pre:.2f}; calamine {cal:.2f} ms; ratio {total / cal:.2f}x"
            )


def ab(out: Path, other: str, rounds: int, cpu: bool) -> None:
    """Fresh processes, this checkout and ``other`` alternately (each timing 3 passes over every
    set); medians per set and side over ``rounds``."""
    sides = {"main": other, "branch": str(ROOT)}
    got: dict[str, dict[str, list[tuple[float, float, float]]]] = {s: {} for s in sides}
    for _ in range(rounds):
        for side, checkout in sides.items():
            env = {**os.environ, "YONGJI_XLS_CHECKOUT": checkout}
            child = subprocess.run(
                [sys.executable, __file__, str(out), "--time", "3", "--json", *(["--cpu"] if cpu else [])],
                env=env,
                check=True,
                capture_output=True,
                text=True,
            )
            for name, fig in json.loads(child.stdout.splitlines()[-1]).items():
                got[side].setdefault(name, []).append(tuple(fig))
    for name in got["branch"]:
        for side in sides:
            runs = got[side][name]
            pre, total, cal = (statistics.median(r[i] for r in runs) for i in range(3))
            print(
                f"{name:8s} {side:6s}: ingest {total:.2f} ms = pre-flight {pre:.2f} + read {total - pre:.2f}; "
                f"calamine {cal:.2f} ms; ratio {total / cal:.2f}x ({rounds} rounds, {'CPU' if cpu else 'wall'})"
            )


def timings(
    spec, sets: dict[str, list[Path]], rounds: int, clock=time.perf_counter
) -> dict[str, tuple[float, float, float]]:
    from python_calamine import CalamineWorkbook

    from yongji_xls.collect.read import read_one
    from yongji_xls.workbook.read.safety.preflight import preflight

    def calamine_only(datas: list[bytes]) -> None:
        for data in datas:
            wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
            for sheet in wb.sheet_names:
                wb.get_sheet_by_name(sheet).to_python(skip_empty_area=False)

    figures: dict[str, tuple[float, float, float]] = {}
    for name, files in sets.items():
        if name == "samples":  # its .xls goes to the isolated worker: a process start, not ingest
            files = [f for f in files if f.suffix == ".xlsx"]
        datas = [f.read_bytes() for f in files]
        runs: dict[str, list[float]] = {"pre": [], "all": [], "cal": []}
        for _ in range(rounds):
            for key, fn in (
                ("pre", lambda fs=files: [preflight(f, f.name).ok for f in fs]),
                ("all", lambda fs=files: [read_one(spec, f, f.name, 2024) for f in fs]),
                ("cal", lambda ds=datas: calamine_only(ds)),
            ):
                t = clock()
                fn()
                runs[key].append((clock() - t) / len(files) * 1000)
        figures[name] = tuple(statistics.median(runs[k]) for k in ("pre", "all", "cal"))
    return figures


if __name__ == "__main__":
    main()
