"""The rule kinds an indicator system may name, declared as data: the ground floor of ``system``.

Each kind says where it may be used (on an indicator or on a criterion), the parameters it reads
from its ``rule:`` mapping and, for a criterion, what the criterion is (evidence, computed or
list). The structural check of the raw data, the model (:attr:`.model.Criterion.kind`), the loader
(which fields and national figures an indicator reads) and the system workbook all read these
declarations; :mod:`yongji_xls.scoring.rules` registers one function per kind against them and
refuses a function for a kind not declared here (and a test checks every kind has its function).
A new rule kind is one declaration here and one function there.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from .keys import national_ref_name


@dataclass(frozen=True)
class Param:
    """One parameter a rule kind reads from its ``rule:`` mapping in the data.

    ``type`` says what the value must be and, for references, what it names: ``field`` (a data
    field key), ``list`` (a list key), ``national`` (a national figure name), ``number``, ``int``,
    ``bool``, ``text``, ``texts``, ``ints`` or ``conditions`` (see :data:`CONDITION_PARAMS`)."""

    name: str
    type: str
    required: bool = True


@dataclass(frozen=True)
class RuleKind:
    """A rule kind as the spec checks see it: where it may be used and the parameters it takes.
    ``criterion_kind`` is what a criterion scored by it is (evidence, computed or list)."""

    kind: str
    level: str  # indicator | criterion
    params: tuple[Param, ...]
    criterion_kind: str = ""

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)


OPS: dict[str, tuple[Callable[[Any, Any], bool], str, str]] = {
    ">": (operator.gt, "高于", "未超过"),
    ">=": (operator.ge, "达到", "未达到"),
    "==": (operator.eq, "等于", "不等于"),
}
"""The comparison operators a condition may name: the test, and the words for met and not met."""

CONDITION_PARAMS = (
    Param("field", "field", False),
    Param("num", "field", False),
    Param("den", "field", False),
    Param("op", "op"),
    Param("ref", "ref"),
    Param("form", "text", False),
)
"""A condition of ``conditions`` compares ``field`` (or ``num``/``den`` as a percentage) by ``op``
with ``ref``: a number or ``national.<name>``; ``form: product`` compares num×100 with ref×den."""

_PER_YEAR = Param("points_per_year", "int", False)
_LIST_MATCH = (Param("list", "list"), Param("column", "text"), Param("values", "texts"))


def _kinds(*kinds: RuleKind) -> dict[str, RuleKind]:
    return {k.kind: k for k in kinds}


RULE_KINDS: Mapping[str, RuleKind] = _kinds(
    RuleKind("growth_vs_national", "indicator", (Param("field", "field"), Param("national", "national"), _PER_YEAR)),
    RuleKind("growth_vs_growth", "indicator", (Param("field", "field"), Param("other", "field"), _PER_YEAR)),
    RuleKind(
        "share_vs_national",
        "indicator",
        (Param("num", "field"), Param("den", "field"), Param("national", "national"), _PER_YEAR),
    ),
    RuleKind(
        "ratio_band",
        "indicator",
        (
            Param("num", "field"),
            Param("den", "field"),
            Param("low", "number"),
            Param("high", "number"),
            Param("low_points", "int", False),
            Param("high_points", "int", False),
        ),
    ),
    RuleKind("list_threshold_count", "indicator", (Param("list", "list"), Param("steps", "ints", False))),
    RuleKind("conditions", "criterion", (Param("all", "conditions"), Param("zero_ok", "bool", False)), "computed"),
    RuleKind("evidence", "criterion", (), "evidence"),
    RuleKind("list_any", "criterion", _LIST_MATCH, "list"),
    RuleKind("list_count", "criterion", (*_LIST_MATCH, Param("per_row", "number", False)), "list"),
)


def rule_references(rule: Any) -> tuple[list[str], list[str]]:
    """(field and list keys, national figure names) a rule reads, from its kind's declaration."""
    fields: list[str] = []
    nationals: list[str] = []
    decl = RULE_KINDS.get(rule.kind) if rule is not None else None
    if rule is None or decl is None:
        return fields, nationals
    for p in decl.params:
        value = rule.get(p.name)
        if value in (None, ""):
            continue
        if p.type in ("field", "list"):
            fields.append(str(value))
        elif p.type == "national":
            nationals.append(str(value))
        elif p.type == "conditions":
            for cond in value or ():
                fields.extend(str(cond[k]) for k in ("num", "den", "field") if k in cond)
                name = national_ref_name(cond.get("ref"))
                if name:
                    nationals.append(name)
    return fields, nationals


def criterion_kind(rule: Any) -> str:
    """What a criterion is, from the rule that scores it: no rule means evidence (是/否 + 佐证)."""
    if rule is None:
        return "evidence"
    decl = RULE_KINDS.get(rule.kind)
    return decl.criterion_kind if decl is not None else ""
