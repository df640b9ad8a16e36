"""Regenerate ``docs/examples/两级指标体系示例.xlsx`` from ``docs/examples/两级指标体系示例.yaml``.

The example shows an office how a two-level indicator system (groups → scored indicators, the
shape SAMR's 2026 rules describe) is written in the system workbook. It is marked as an example
in its title, version and basis, because SAMR's 2026 table is not public here. The small YAML
holds what is the example's own (groups, indicators, the pass rule, a list); the data fields it
names, the national figures, the placeholders and the plausibility bounds are the shipped 2022
system's. The raw system is built and checked before the workbook is written, so a broken
example is never shipped.

Run: ``python scripts/make_two_level_example.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from yongji_xls.system.load import build_spec, read_system  # noqa: E402
from yongji_xls.workbook.write.system_workbook import pass_text, write_system_workbook  # noqa: E402

SOURCE = ROOT / "docs" / "examples" / "两级指标体系示例.yaml"
TARGET = SOURCE.with_suffix(".xlsx")


def example_raw(source: Path = SOURCE) -> dict[str, Any]:
    """The example as a raw system (the YAML files' shape), the shipped parts filled in."""
    small = yaml.safe_load(source.read_text("utf-8"))
    shipped = read_system()
    system = dict(small["system"])
    rule = system["pass_rule"]
    system["pass_rule"] = {**rule, "text": pass_text(rule["total_min"], rule["first_level_rate_min"])}
    system["evidence_placeholders"] = shipped["system"]["evidence_placeholders"]
    wanted = set(small["fields"])
    indicators = [
        {"aggregate": "sum", "rule": None, "criteria": [], **ind, "description": str(ind["description"]).strip()}
        for ind in small["indicators"]
    ]
    return {
        "system": system,
        "units": shipped["units"],
        "fields": {
            "fields": [_within(f, wanted) for f in shipped["fields"]["fields"] if f["key"] in wanted],
            "max_by_unit": shipped["fields"].get("max_by_unit", {}),
        },
        "indicators": {"indicators": indicators},
        "national": shipped["national"],
    }


def _within(field: dict, wanted: set) -> dict:
    """A shipped field as the example keeps it: a part_of whose whole the example lacks is dropped
    (a relation needs both fields)."""
    if field.get("part_of") and field["part_of"] not in wanted:
        return {k: v for k, v in field.items() if k != "part_of"}
    return field


def main(target: Path = TARGET) -> Path:
    raw = example_raw()
    spec = build_spec(raw)  # SpecError, every problem listed, before anything is written
    write_system_workbook(raw, target)
    print(f"已生成{spec.levels}级指标体系示例（{len(spec.indicators)}项指标，满分{spec.max_points}分）：{target}")
    return target


if __name__ == "__main__":
    main()
