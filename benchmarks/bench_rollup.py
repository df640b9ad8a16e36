"""Benchmark of ``rollup``: 13 counties' scores.json → the city workbook and Word summary.

Run ``python benchmarks/bench_rollup.py``. Each county's scores.json is written by the real
scorer (``score_values`` on varied merged values); the figure reported is the median of five
rollups in a fresh process each (pandas import included, as a user would see it), and the
in-process time of collect + write.
"""

from __future__ import annotations

import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "support"))

COUNTIES = (
    "盐湖区",
    "永济市",
    "河津市",
    "临猗县",
    "万荣县",
    "闻喜县",
    "稷山县",
    "新绛县",
    "绛县",
    "垣曲县",
    "夏县",
    "平陆县",
    "芮城县",
)


def make_outputs(folder: Path) -> None:
    from scenarios import full_values, without

    from yongji_xls.report.scores_json import scores_document, system_info
    from yongji_xls.scoring.engine import score
    from yongji_xls.system.load import load_spec

    spec = load_spec()
    evidence = [c.key for i in spec.indicators for c in i.criteria if c.kind == "evidence"]
    rng = random.Random(7)
    for name in COUNTIES:
        card = score(spec, without(full_values(), *rng.sample(evidence, rng.randint(0, 12))), 2024, "中部")
        doc = scores_document(card, extra={**system_info(spec), "county": name})
        (folder / name).mkdir()
        (folder / name / "scores.json").write_text(json.dumps(doc, ensure_ascii=False), "utf-8")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        inbox, out = Path(tmp) / "各县", Path(tmp) / "汇总"
        inbox.mkdir()
        make_outputs(inbox)
        from yongji_xls.rollup.collect import collect
        from yongji_xls.rollup.write import write_rollup

        times = []
        for _ in range(5):
            start = time.perf_counter()
            write_rollup(collect(inbox), out)
            times.append(time.perf_counter() - start)
        cold = []
        for _ in range(5):
            start = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "yongji_xls", "rollup", str(inbox), "--out", str(out)],
                cwd=ROOT,
                check=True,
                capture_output=True,
            )
            cold.append(time.perf_counter() - start)
        print(
            f"rollup of {len(COUNTIES)} counties: in-process median {statistics.median(times):.3f} s; "
            f"whole command (fresh process) median {statistics.median(cold):.3f} s"
        )


if __name__ == "__main__":
    main()
