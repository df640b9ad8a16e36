"""Regenerate the golden outputs ``tests/golden/*.json``, on purpose only.

``tests/report/test_golden.py`` fails whenever the task-breakdown workbook or the Word report of
the sample run says something else than its golden file; it never rewrites them. When the change
is intended, run this script and commit the rewritten files with the change: the golden diff in
review is the point (it shows what the change does to what people read). Refused under ``CI``.

Run: ``python scripts/regen_golden.py`` (``--out DIR`` writes elsewhere, for a look).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "support")]

import golden  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Regenerate tests/golden/*.json from the sample workbooks.")
    parser.add_argument("--out", type=Path, default=golden.GOLDEN_DIR, help="folder of the golden files")
    args = parser.parse_args(argv)
    refusal = golden.regen_refusal(os.environ)
    if refusal:
        print(refusal, file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as work:
        try:
            meanings = golden.meanings(golden.fixture_outputs(Path(work)))
        except golden.MachineUnfit as e:
            print(e, file=sys.stderr)
            return 2
    for name, meaning in meanings.items():
        changed = golden.write_golden(name, meaning, args.out)
        print(f"{golden.golden_path(name, args.out)}: {'rewritten' if changed else 'unchanged'}")
    print("Review `git diff tests/golden` before committing: it is what the change does to the outputs.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
