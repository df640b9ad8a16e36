"""The structural check of the raw indicator system, before anything is built.

A misspelt rule kind or a missing key used to load and fail later, inside ``score()``, as a
``KeyError``. Here every file is walked against its expected shape first and every problem is
collected with the file and the path to the value, as an editor finds it in the YAML
(``indicators.yaml: indicators[12].criteria[2].rule.kind: 未知规则类型「ratio_bnd」``; indexes count
from 0, as in the file's order). Rule parameters come from the declared rule kinds
(:data:`.rule_kinds.RULE_KINDS`), so a new rule kind is checked as soon as it is declared.
Hand-written rather than pydantic/jsonschema: the shapes are few, the messages must be Chinese,
and the check runs only when the spec is built (never on the cached load).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .keys import national_ref_name
from .problems import Problem, problem
from .rule_kinds import CONDITION_PARAMS, OPS, RULE_KINDS

Shape = Any  # a type name (str), a list [shape] (each item), or a dict of {key: (shape, required)}

_TYPE_TEXT = {
    "text": "文字",
    "int": "整数",
    "number": "数字",
    "bool": "true或false",
    "texts": "文字列表",
    "ints": "整数列表",
    "map": "映射（键: 值）",
    "list": "列表",
    "field": "数据项键",
    "national": "全国参考值名称",
    "op": "比较符",
    "ref": "数字或national.名称",
    "conditions": "条件列表",
}

_LEVEL2 = {"name": ("text", True), "points": ("int", True)}
_COLUMN = {
    "name": ("text", True),
    "type": ("text", False),
    "choices": ("texts", False),
    "required": ("bool", False),
    "part_of": ("text", False),
}
_LIST = {
    "title": ("text", True),
    "filled_by": ("text", False),
    "owner": ("text", False),
    "cross_check": ("texts", False),
    "columns": ([_COLUMN], True),
    "identity": ("texts", False),
    "identity_mode": ("text", False),
}
_TASK = {
    "key": ("text", True),
    "no": ("int", True),
    "section": ("text", False),
    "title": ("text", True),
    "text": ("text", True),
    "units_text": ("text", True),
    "lead": ("text", False),
}
SHAPES: dict[str, dict[str, tuple[Shape, bool]]] = {
    "system": {
        "version": ("text", True),
        "title": ("text", True),
        "basis": ("text", False),
        "document": ("text", False),
        "pass_rule": (
            {"total_min": ("number", True), "first_level_rate_min": ("number", True), "text": ("text", False)},
            True,
        ),
        "assessed_years": ("int", False),
        "default_year": ("int", False),
        "total_points": ("int", False),
        "region": ({"default": ("text", True), "thresholds": ("map", True)}, True),
        # ``second`` (subgroups) for a three-level system, absent for a two-level one
        "first_level": ([{"name": ("text", True), "points": ("int", True), "second": ([_LEVEL2], False)}], True),
        "lists": ("lists", False),
        "evidence_placeholders": ("texts", False),
        "evidence_placeholder_patterns": ("texts", False),
    },
    "units": {
        "units": (
            [
                {
                    "no": ("int", True),
                    "name": ("text", True),
                    "aliases": ("texts", False),
                    "attachment1": ("bool", False),
                    "town": ("bool", False),
                }
            ],
            True,
        ),
        "groups": (
            [
                {
                    "name": ("text", True),
                    "aliases": ("texts", False),
                    "members_from": ("text", True),
                    "lead": ("text", True),
                }
            ],
            False,
        ),
        "office": ("map", False),
        "source": ("text", False),  # the 单位配置.xlsx it was read from (office_config.read_config)
        "document": ("text", False),  # the county's own 工作方案, replacing the system's
        "tasks": ([_TASK], False),  # the county's main tasks (its work plan's 主要任务)
    },
    "fields": {
        "fields": (
            [
                {
                    "key": ("text", True),
                    "label": ("text", True),
                    "unit": ("text", True),
                    "kind": ("text", True),
                    "series": ("bool", False),
                    "owner": ("text", True),
                    "cross_check": ("texts", False),
                    "max": ("number", False),
                    "part_of": ("text", False),
                    "jump": ("number", False),
                }
            ],
            True,
        ),
        "max_by_unit": ("map", False),
        "unit_slips": ("map", False),
    },
    "indicators": {
        "indicators": (
            [
                {
                    "key": ("text", True),
                    "no": ("int", True),
                    "first": ("text", True),
                    "second": ("text", False),  # a three-level system's subgroup
                    "nature": ("text", True),
                    "name": ("text", True),
                    "points": ("int", True),
                    "description": ("text", True),
                    "method": ("text", True),
                    "sources": ("texts", False),
                    "units_text": ("text", True),
                    "lead": ("text", False),
                    "aggregate": ("text", False),
                    "rule": ("indicator_rule", False),
                    "criteria": (
                        [
                            {
                                "key": ("text", True),
                                "text": ("text", True),
                                "points": ("int", True),
                                "kind": ("text", False),
                                "rule": ("criterion_rule", False),
                            }
                        ],
                        False,
                    ),
                }
            ],
            True,
        ),
    },
    "national": {"labels": ("map", False), "sources": ("map", False), "values": ("list", False)},
}


def _is(value: Any, kind: str) -> bool:
    if kind == "text":
        return isinstance(value, (str, int, float)) and not isinstance(value, bool)
    if kind == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind == "bool":
        return isinstance(value, bool)
    if kind == "texts":
        return isinstance(value, (list, tuple)) and all(_is(v, "text") for v in value)
    if kind == "ints":
        return isinstance(value, (list, tuple)) and all(_is(v, "int") for v in value)
    if kind == "map":
        return isinstance(value, Mapping)
    if kind == "list":
        return isinstance(value, (list, tuple))
    return True


class _Checker:
    def __init__(self, file: str, problems: list[str]):
        self.file, self.problems = file, problems

    def say(self, path: str, found: Problem) -> None:
        """Record ``found`` located as 「文件: 路径: 」 (the editor's way to the value)."""
        self.problems.append(found.located(f"{self.file}.yaml: {path}: " if path else f"{self.file}.yaml: "))

    def wrong(self, path: str, expected: str, value: Any) -> None:
        self.say(path, problem("wrong_type", expected=_TYPE_TEXT.get(expected, expected), value=value))

    def value(self, value: Any, shape: Shape, path: str) -> None:
        if isinstance(shape, dict):
            self.mapping(value, shape, path, closed=True)
        elif isinstance(shape, list):
            if not isinstance(value, (list, tuple)):
                self.say(path, problem("expected", expected=_TYPE_TEXT["list"]))
                return
            for i, item in enumerate(value):
                self.value(item, shape[0], f"{path}[{i}]")
        elif shape == "lists":
            if not isinstance(value, Mapping):
                self.say(path, problem("expected", expected=_TYPE_TEXT["map"]))
                return
            for key, item in value.items():
                self.mapping(item, _LIST, f"{path}.{key}", closed=True)
        elif shape in ("indicator_rule", "criterion_rule"):
            if value is not None:
                self.rule(value, path, shape.split("_")[0])
        elif not _is(value, shape):
            self.wrong(path, shape, value)

    def mapping(self, value: Any, shape: Mapping[str, tuple[Shape, bool]], path: str, closed: bool) -> None:
        if not isinstance(value, Mapping):
            self.wrong(path, "map", value)
            return
        for key, (sub, required) in shape.items():
            where = f"{path}.{key}" if path else key
            if key not in value or value[key] is None:
                if required:
                    self.say(where, problem("required"))
                continue
            self.value(value[key], sub, where)
        if closed:
            for key in value:
                if key not in shape:
                    where = f"{path}.{key}" if path else str(key)
                    if (self.file, where) in OBSOLETE:
                        self.say(where, problem("key_obsolete", key=key, why=OBSOLETE[self.file, where]))
                    else:
                        self.say(where, problem("unknown_key", key=key, allowed="、".join(shape)))

    def rule(self, value: Any, path: str, level: str) -> None:
        if not isinstance(value, Mapping):
            self.wrong(path, "map", value)
            return
        kind = value.get("kind")
        decl = RULE_KINDS.get(str(kind)) if kind is not None else None
        if kind is None:
            self.say(f"{path}.kind", problem("required"))
            return
        if decl is None:
            self.say(f"{path}.kind", problem("unknown_rule_kind", kind=kind, allowed="、".join(sorted(RULE_KINDS))))
            return
        if decl.level != level:
            only = "rule_for_indicator_only" if decl.level == "indicator" else "rule_for_criterion_only"
            self.say(f"{path}.kind", problem(only, kind=kind))
        for p in decl.params:
            if p.required and value.get(p.name) in (None, ""):
                self.say(f"{path}.{p.name}", problem("rule_param_missing", kind=kind, param=p.name))
        for name, item in value.items():
            if name == "kind":
                continue
            p = decl.param(str(name))
            if p is None:
                allowed = "、".join(q.name for q in decl.params)
                unknown = (
                    problem("rule_param_unknown", kind=kind, param=name, allowed=allowed)
                    if allowed
                    else problem("rule_takes_no_param", kind=kind, param=name)
                )
                self.say(f"{path}.{name}", unknown)
            elif item is not None:
                self.param(item, p.type, f"{path}.{name}")

    def param(self, value: Any, kind: str, path: str) -> None:
        if kind in ("field", "list", "national"):
            if not isinstance(value, str) or not value.strip():
                self.wrong(path, kind, value)
        elif kind == "conditions":
            if not isinstance(value, (list, tuple)) or not value:
                self.say(path, problem("conditions_empty", expected=_TYPE_TEXT["conditions"]))
                return
            for i, cond in enumerate(value):
                self.condition(cond, f"{path}[{i}]")
        elif not _is(value, kind):
            self.wrong(path, kind, value)

    def condition(self, cond: Any, path: str) -> None:
        if not isinstance(cond, Mapping):
            self.wrong(path, "map", cond)
            return
        names = {p.name for p in CONDITION_PARAMS}
        for name in cond:
            if name not in names:
                allowed = "、".join(p.name for p in CONDITION_PARAMS)
                self.say(f"{path}.{name}", problem("condition_param_unknown", param=name, allowed=allowed))
        ratio = "num" in cond or "den" in cond
        if ratio and not ("num" in cond and "den" in cond):
            self.say(path, problem("condition_ratio_pair"))
        if ratio == ("field" in cond):
            self.say(path, problem("condition_field_or_ratio"))
        for name in ("field", "num", "den"):
            if name in cond:
                self.param(cond[name], "field", f"{path}.{name}")
        op = cond.get("op")
        if op is None:
            self.say(f"{path}.op", problem("required"))
        elif str(op) not in OPS:
            self.say(f"{path}.op", problem("unknown_op", op=op, allowed=" ".join(OPS)))
        ref = cond.get("ref")
        if ref is None:
            self.say(f"{path}.ref", problem("required"))
        elif isinstance(ref, str):
            if national_ref_name(ref) is None:
                self.wrong(f"{path}.ref", "ref", ref)
        elif not _is(ref, "number"):
            self.wrong(f"{path}.ref", "ref", ref)
        if "form" in cond and cond["form"] != "product":
            self.say(f"{path}.form", problem("unknown_form", form=cond["form"]))


OBSOLETE: dict[tuple[str, str], str] = {
    ("system", "statuses"): "状态名称由程序统一定义",  # removed in issue 13; folders copied before still carry it
}
"""Keys earlier versions wrote, (file, path) -> why they went: named as obsolete, not unknown."""


def check_structure(raw: Mapping[str, Any]) -> list[str]:
    """Every structural problem of the raw files, each as 「文件: 路径: 问题」; empty when sound."""
    problems: list[str] = []
    for file, shape in SHAPES.items():
        c = _Checker(file, problems)
        data = raw.get(file)
        if not isinstance(data, Mapping):
            c.say("", problem("file_not_mapping"))
            continue
        c.mapping(data, shape, "", closed=True)
    if not problems:
        _check_criterion_kinds(raw, problems)
    return problems


def _check_criterion_kinds(raw: Mapping[str, Any], problems: list[str]) -> None:
    """A criterion's ``kind`` is derived from its rule; one written in the data must agree."""
    c = _Checker("indicators", problems)
    for i, ind in enumerate(raw["indicators"]["indicators"]):
        for j, crit in enumerate(ind.get("criteria") or ()):
            rule = crit.get("rule")
            derived = RULE_KINDS[str(rule["kind"])].criterion_kind if rule else "evidence"
            if crit.get("kind") not in (None, "", derived):
                c.say(
                    f"indicators[{i}].criteria[{j}].kind",
                    problem("criterion_kind_mismatch", kind=crit["kind"], derived=derived),
                )
