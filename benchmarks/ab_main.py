"""Interleaved A/B of ``run``: another checkout against this one, in one process and in the
default mode, with the openpyxl baseline; medians of wall and CPU time (issue 24).

``python benchmarks/ab_main.py FOLDER ROUNDS [OTHER_CHECKOUT]`` (default ``/work/main``). The other
checkout is put first on ``PYTHONPATH`` of its runs, so both sides see the same machine state
round by round; on a shared machine that is the figure to trust, not one side's absolute times.
The runs start in a temporary folder: ``python -m`` puts the working directory before
``PYTHONPATH``, so started from this checkout both sides would run this checkout's code.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench  # noqa: E402


def main() -> None:
    folder, rounds = Path(sys.argv[1]), int(sys.argv[2])
    other = sys.argv[3] if len(sys.argv) > 3 else "/work/main"
    py = sys.executable
    here = os.getcwd()
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        os.chdir(base)  # neither checkout on sys.path by way of the working directory
        bench.installed_like(base)
        (base / "baseline.py").write_text(bench.BASELINE, "utf-8")
        variants = {
            "main 单进程": {"PYTHONPATH": other, "YONGJI_XLS_HELPER": "0"},
            "本分支 单进程": {"YONGJI_XLS_HELPER": "0"},
            "main 默认": {"PYTHONPATH": other},
            "本分支 默认": {},
        }
        cmd = [py, "-m", "yongji_xls", "run", str(folder), "--out", str(base / "out")]
        baseline = [py, str(base / "baseline.py"), str(folder)]
        runs: dict[str, list[tuple[float, float, float]]] = {k: [] for k in [*variants, "基准"]}
        for env in variants.values():  # warm-up: bytecode, the spec cache, the feedback packages
            bench._run_child(cmd, env)
        bench._run_child(baseline)
        loads = []
        for _ in range(rounds):
            for k, env in variants.items():
                runs[k].append(bench._run_child(cmd, env))
            runs["基准"].append(bench._run_child(baseline))
            loads.append(os.getloadavg()[0])
        os.chdir(here)
    b = [statistics.median(r[i] for r in runs["基准"]) for i in (0, 1)]
    print(f"{folder.name}: {rounds} interleaved rounds, 1-min load {min(loads):.1f}–{max(loads):.1f}")
    for k, r in runs.items():
        w, c = statistics.median(x[0] for x in r), statistics.median(x[1] for x in r)
        print(
            f"- {k}: wall {w * 1000:.0f} ms ({w / b[0]:.2f}× baseline), CPU {c * 1000:.0f} ms ({c / b[1]:.2f}×), "
            f"peak {max(x[2] for x in r):.0f} MB"
        )


if __name__ == "__main__":
    main()
