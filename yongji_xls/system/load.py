"""Load and validate the indicator system: the one shipped in ``data/`` or an office's YAML folder.

Validation runs on every load and collects every problem before failing, so an editor of the
YAML sees all mistakes at once, in Chinese, with the key that is wrong.
"""

from __future__ import annotations

import hashlib
import pickle
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from .. import __version__
from ..issues import ProblemsError
from .checks import validate
from .keys import REFERENCE_KEY
from .model import (
    Criterion,
    DataField,
    FirstLevel,
    Group,
    Indicator,
    ListColumn,
    ListSpec,
    PassRule,
    Reference,
    Rule,
    SecondLevel,
    Spec,
    Task,
    Unit,
)
from .placeholders import compile_patterns, placeholder_key
from .problems import problem
from .rule_kinds import rule_references

SPEC_FILES = ("system", "units", "fields", "indicators", "national")
OBSOLETE_FILES = {"tasks": "obsolete_tasks_file"}  # file stem -> the problem naming where its content went
_BRACKETS = str.maketrans({"[": "（", "]": "）", "(": "（", ")": "）", "【": "（", "】": "）"})
_SPLIT = re.compile(r"[、，,；;\s]+")


class SpecError(ProblemsError):
    """The indicator-system data is inconsistent (or not there: :class:`SpecNotFound`)."""

    fatal_code = "system_invalid"


class SpecNotFound(SpecError):
    """The indicator system named is not there (no such folder, files missing): nothing to check."""


def normalise_name(name: str) -> str:
    """Unit names compare equal whatever bracket style or spacing was used."""
    return re.sub(r"\s+", "", str(name)).translate(_BRACKETS)


def _yaml_load(text: str, trusted: bool = True) -> Any:
    """PyYAML's C loader where it is safe, the pure-Python one otherwise.

    The C loader is ~10× faster but, with a libyaml older than 0.2.5, crashes the interpreter on
    brackets nested ~100,000 deep where the Python one raises RecursionError (named by
    :func:`_unreadable`). An office's folder therefore goes to the C loader only when its nesting
    is provably shallow (few brackets, shallow indentation), and any mistake is parsed again by
    the Python loader so that its message is the same whichever loader read the file first."""
    import yaml

    fast = getattr(yaml, "CSafeLoader", None)
    if fast is None or not (trusted or _shallow(text)):
        return yaml.load(text, Loader=yaml.SafeLoader)
    try:
        return yaml.load(text, Loader=fast)
    except yaml.YAMLError:
        return yaml.load(text, Loader=yaml.SafeLoader)


_MAX_FAST_DEPTH = 200


def _shallow(text: str) -> bool:
    """True when no node can be nested deeper than a few hundred levels: flow nesting needs an
    opening bracket per level, block nesting a deeper indentation per level."""
    if text.count("[") + text.count("{") > _MAX_FAST_DEPTH:
        return False
    return all(len(line) - len(line.lstrip(" ")) <= _MAX_FAST_DEPTH for line in text.splitlines())


def _texts(directory: Path | None) -> dict[str, bytes]:
    """The bytes of every spec file: from ``directory``, or shipped in the package."""
    folder = resources.files("yongji_xls.system").joinpath("data") if directory is None else directory
    return {name: folder.joinpath(f"{name}.yaml").read_bytes() for name in SPEC_FILES}


def _parse(texts: Mapping[str, bytes], trusted: bool = True) -> dict[str, Any]:
    return {name: _yaml_load(text.decode("utf-8"), trusted) or {} for name, text in texts.items()}


def _read_raw(directory: Path | None) -> dict[str, Any]:
    return _parse(_texts(directory), trusted=directory is None)


class UnitResolver:
    """Turns 责任单位 texts into canonical unit names, expanding groups."""

    def __init__(self, units: tuple[Unit, ...], groups: tuple[Group, ...]):
        self.unknown: dict[str, list[str]] = {}  # name the registry lacks -> where it is used
        self.names: dict[str, str] = {}
        self.groups: dict[str, Group] = {}
        for u in units:
            for n in (u.name, *u.aliases):
                self.names[normalise_name(n)] = u.name
        for g in groups:
            for n in (g.name, *g.aliases):
                self.groups[normalise_name(n)] = g

    def canonical(self, name: str) -> str | None:
        return self.names.get(normalise_name(name))

    def resolve(self, text: str, problems: list[str], where: str) -> tuple[tuple[str, ...], str]:
        """Return (units in the document's order, lead unit)."""
        out: list[str] = []
        lead = ""
        for part in _SPLIT.split(normalise_name(text)):
            if not part:
                continue
            group = self.groups.get(part)
            if group is not None:
                members, first = group.members, group.lead
            elif part in self.names:
                members = (self.names[part],)
                first = members[0]
            else:
                self.unknown.setdefault(part, []).append(where)
                continue
            lead = lead or first
            out.extend(m for m in members if m not in out)
        return tuple(out), lead


def _rule(raw: Mapping[str, Any] | None) -> Rule | None:
    if not raw:
        return None
    params = dict(raw)
    return Rule(kind=str(params.pop("kind")), params=params)


def _rule_fields(rule: Rule | None) -> list[str]:
    """Field and list keys a rule reads (for ownership checks and notes), from its kind's declared parameters."""
    return rule_references(rule)[0]


def _build_units(raw: Mapping[str, Any]) -> tuple[tuple[Unit, ...], tuple[Group, ...]]:
    units = tuple(
        Unit(
            no=int(u["no"]),
            name=str(u["name"]),
            aliases=tuple(u.get("aliases", ()) or ()),
            attachment1=bool(u.get("attachment1", False)),
            town=bool(u.get("town", False)),
        )
        for u in raw["units"]
    )
    groups = tuple(
        Group(
            name=str(g["name"]),
            aliases=tuple(g.get("aliases", ()) or ()),
            members=tuple(u.name for u in units if getattr(u, g["members_from"])),
            lead=str(g["lead"]),
        )
        for g in raw.get("groups", ())
    )
    return units, groups


def _build_indicators(
    raw: list[Mapping[str, Any]], resolver: UnitResolver, problems: list[str]
) -> tuple[Indicator, ...]:
    out = []
    for r in raw:
        key = str(r["key"])
        units, lead = resolver.resolve(str(r["units_text"]), problems, problem("place_indicator", key=key))
        rule = _rule(r.get("rule"))
        criteria = tuple(
            Criterion(
                key=str(c["key"]),
                indicator=key,
                text=str(c["text"]),
                points=int(c["points"]),
                rule=_rule(c.get("rule")),
            )
            for c in r.get("criteria") or ()
        )
        used = _rule_fields(rule) + [f for c in criteria for f in _rule_fields(c.rule)]
        out.append(
            Indicator(
                key=key,
                no=int(r["no"]),
                first=str(r["first"]),
                second=str(r.get("second") or ""),
                nature=str(r["nature"]),
                name=str(r["name"]),
                points=int(r["points"]),
                description=str(r["description"]).strip(),
                method=str(r["method"]),
                sources=tuple(str(s) for s in r.get("sources") or ()),
                units_text=str(r["units_text"]),
                units=units,
                lead=str(r.get("lead") or lead),
                aggregate=str(r.get("aggregate") or "sum"),
                rule=rule,
                criteria=criteria,
                fields=tuple(dict.fromkeys(used)),
            )
        )
    return tuple(out)


def _build_fields(
    raw: list[Mapping[str, Any]],
    indicators: Iterable[Indicator],
    resolver: UnitResolver,
    problems: list[str],
    raw_max: Mapping[str, Any] | None = None,
) -> tuple[DataField, ...]:
    """``raw_max``: plausibility bounds by unit (fields.yaml ``max_by_unit``); a field's own ``max`` wins."""
    out = []
    for f in raw:
        key = str(f["key"])
        owner = resolver.canonical(str(f["owner"])) or ""
        if not owner:
            problems.append(problem("field_owner_unknown", field=key, owner=f["owner"]))
        cross = []
        for c in f.get("cross_check", ()) or ():
            name = resolver.canonical(str(c))
            if name is None:
                problems.append(problem("field_cross_check_unknown", field=key, unit=c))
            else:
                cross.append(name)
        used_by = tuple(i.key for i in indicators if key in i.fields)
        limit = f.get("max", raw_max.get(str(f["unit"])) if raw_max else None)
        maximum = Decimal(str(limit)) if limit is not None else None
        out.append(
            DataField(
                key,
                str(f["label"]),
                str(f["unit"]),
                str(f["kind"]),
                bool(f.get("series", False)),
                owner,
                tuple(cross),
                used_by,
                maximum,
                str(f.get("part_of") or ""),
                Decimal(str(f["jump"])) if f.get("jump") is not None else None,
            )
        )
    return _parts_bounded(tuple(out), {str(f["key"]) for f in raw if f.get("max") is not None})


def _parts_bounded(fields: tuple[DataField, ...], own: set[str]) -> tuple[DataField, ...]:
    """A part without a bound of its own takes its whole's when lower (transitively): no part may
    exceed what its whole may plausibly be, so a part typed in 元 is refused even when the whole is
    blank and there is no relation to check."""
    by_key = {f.key: f for f in fields}

    def bound(f: DataField, seen: frozenset[str]) -> Decimal | None:
        whole = by_key.get(f.part_of)
        if f.key in own or whole is None or whole.key in seen:
            return f.max
        above = bound(whole, seen | {f.key})
        return f.max if above is None or (f.max is not None and f.max <= above) else above

    return tuple(replace(f, max=bound(f, frozenset())) for f in fields)


def _lead_by_owner(indicators: tuple[Indicator, ...], fields: tuple[DataField, ...]) -> tuple[Indicator, ...]:
    """A quantitative indicator is led by the owner of its data, when that unit is responsible."""
    owners = {f.key: f.owner for f in fields}
    out = []
    for ind in indicators:
        owner = next((owners[k] for k in ind.fields if owners.get(k) in ind.units), "")
        out.append(replace(ind, lead=owner) if owner and ind.rule is not None else ind)
    return tuple(out)


def _build_lists(
    raw: Mapping[str, Any], indicators: Mapping[str, Indicator], resolver: UnitResolver
) -> tuple[ListSpec, ...]:
    out = []
    for key, r in raw.items():
        if r.get("filled_by") == "owner_and_cross_check":
            units = tuple(n for n in (resolver.canonical(x) for x in [r["owner"], *r.get("cross_check", ())]) if n)
        else:
            units = indicators[key].units
        columns = tuple(
            ListColumn(
                str(c["name"]),
                str(c.get("type", "text")),
                tuple(c.get("choices", ()) or ()),
                bool(c.get("required", False)),
                str(c.get("part_of") or ""),
            )
            for c in r["columns"]
        )
        out.append(
            ListSpec(
                str(key),
                str(r["title"]),
                columns,
                tuple(r.get("identity", ()) or ()),
                units,
                r.get("identity_mode") == "combined",
            )
        )
    return tuple(out)


def _build_levels(
    raw: list[Mapping[str, Any]], indicators: tuple[Indicator, ...]
) -> tuple[tuple[FirstLevel, ...], tuple[SecondLevel, ...]]:
    """The groups and, in a three-level system, their subgroups (a group without ``second`` has
    its indicators directly: a two-level system; :mod:`.checks` refuses a mixture)."""
    firsts, seconds = [], []
    for f in raw:
        names = []
        for s in f.get("second") or ():
            inds = tuple(i.key for i in indicators if i.first == f["name"] and i.second == s["name"])
            seconds.append(SecondLevel(str(s["name"]), str(f["name"]), int(s["points"]), inds))
            names.append(str(s["name"]))
        own = tuple(i.key for i in indicators if i.first == f["name"])
        firsts.append(FirstLevel(str(f["name"]), int(f["points"]), tuple(names), own))
    return tuple(firsts), tuple(seconds)


def _build_tasks(raw: Iterable[Mapping[str, Any]], resolver: UnitResolver, problems: list[str]) -> tuple[Task, ...]:
    """The county's main tasks (its work plan, part of the office configuration). The lead is the
    unit named ``lead`` (a 牵头 mark in 单位配置.xlsx), else the first unit of the 责任单位 text, a
    group's lead standing for the group, as for an indicator."""
    out = []
    for t in raw:
        where = problem("place_task", key=t["key"])
        t_units, first = resolver.resolve(str(t["units_text"]), problems, where)
        lead = first
        if t.get("lead"):
            group = resolver.groups.get(normalise_name(str(t["lead"])))
            lead = group.lead if group is not None else resolver.canonical(str(t["lead"])) or ""
            if lead not in t_units:
                problems.append(problem("task_lead_not_responsible", task=t["key"], lead=t["lead"]))
        out.append(
            Task(
                str(t["key"]),
                int(t["no"]),
                str(t.get("section") or ""),
                str(t["title"]),
                str(t["text"]).strip(),
                str(t["units_text"]),
                t_units,
                lead,
            )
        )
    return tuple(out)


def parse_references(raw: Mapping[str, Any] | list[Any]) -> tuple[Reference, ...]:
    """References either in the shipped form (``values:`` list) or as ``national.name@YYYY: v``."""
    if isinstance(raw, Mapping) and "values" in raw:
        sources = raw.get("sources", {}) or {}
        return tuple(
            Reference(
                name=str(v["name"]),
                year=int(v["year"]),
                value=Decimal(str(v["value"])),
                source=str(sources.get(v.get("source"), v.get("source", ""))),
                published=str(v.get("published", "")),
                note=str(v.get("note", "")),
            )
            for v in raw["values"]
        )
    out = []
    for key, value in (raw or {}).items():
        m = REFERENCE_KEY.fullmatch(str(key).strip())
        if not m:
            raise SpecError([problem("reference_key_format", key=key)])
        try:
            dec = Decimal(str(value).strip().rstrip("%"))
        except Exception as e:  # noqa: BLE001 - decimal raises several types
            raise SpecError([problem("reference_not_number", key=key, value=value)]) from e
        out.append(Reference(m.group(1), int(m.group(2)), dec, source="--reference 文件"))
    return tuple(out)


def build_spec(raw: Mapping[str, Any]) -> Spec:
    """The frozen Spec from the raw files: checked structurally first (:mod:`.structure`, every
    problem with file and path), then built and checked for consistency (:mod:`.checks`)."""
    from .structure import check_structure

    problems = check_structure(raw)
    if problems:
        raise SpecError(problems)
    system = raw["system"]
    units, groups = _build_units(raw["units"])
    resolver = UnitResolver(units, groups)
    indicators = _build_indicators(raw["indicators"]["indicators"], resolver, problems)
    by_key = {i.key: i for i in indicators}
    fields = _build_fields(raw["fields"]["fields"], indicators, resolver, problems, raw["fields"].get("max_by_unit"))
    indicators = _lead_by_owner(indicators, fields)
    tasks = _build_tasks(raw["units"].get("tasks") or (), resolver, problems)
    if resolver.unknown:
        listed = "；".join(f"{name}（{'、'.join(where)}）" for name, where in resolver.unknown.items())
        problems.append(problem("units_unknown", source=raw["units"].get("source", "units.yaml"), listed=listed))
    firsts, seconds = _build_levels(system["first_level"], indicators)
    pr = system["pass_rule"]
    spec = Spec(
        version=str(system["version"]),
        title=str(system["title"]),
        basis=str(system.get("basis", "")),
        document=_work_plan(system, raw["units"]),
        pass_rule=PassRule(
            Decimal(str(pr["total_min"])), Decimal(str(pr["first_level_rate_min"])), str(pr.get("text", ""))
        ),
        default_year=int(system.get("default_year", 2024)),
        assessed_years=int(system.get("assessed_years", 2)),
        default_region=str(system["region"]["default"]),
        region_thresholds={k: Decimal(str(v)) for k, v in system["region"]["thresholds"].items()},
        units=units,
        groups=groups,
        office=dict(raw["units"].get("office", {})),
        fields=fields,
        indicators=indicators,
        lists=_build_lists(system.get("lists", {}), by_key, resolver),
        tasks=tuple(tasks),
        first_levels=firsts,
        second_levels=seconds,
        references=parse_references(raw["national"]),
        reference_labels={str(k): str(v) for k, v in (raw["national"].get("labels") or {}).items()},
        placeholders=tuple(dict.fromkeys(placeholder_key(str(p)) for p in system.get("evidence_placeholders") or ())),
        total_points=int(system.get("total_points", 100)),
        unit_slips=_unit_slips(raw["fields"].get("unit_slips"), problems),
        placeholder_patterns=_patterns(system.get("evidence_placeholder_patterns"), problems),
    )
    validate(spec, problems)
    if problems:
        raise SpecError(problems)
    return spec


def _patterns(raw: list[Any] | None, problems: list[str]) -> tuple[str, ...]:
    """system.yaml ``evidence_placeholder_patterns``; one that is not a valid pattern is a problem."""
    import re as regex

    out = []
    for n, pattern in enumerate(raw or ()):
        try:
            compile_patterns([str(pattern)])
        except regex.error as e:
            problems.append(problem("placeholder_pattern_bad", n=n + 1, pattern=pattern, error=e.msg))
            continue
        out.append(str(pattern))
    return tuple(out)


def _unit_slips(raw: Mapping[str, Any] | None, problems: list[str]) -> dict[str, dict[str, Fraction]]:
    """fields.yaml ``unit_slips``: unit -> {the unit typed by mistake: the factor the typed figure
    carries}; a factor that is not a positive number is a problem."""
    out: dict[str, dict[str, Fraction]] = {}
    for unit, slips in (raw or {}).items():
        if not isinstance(slips, Mapping):
            problems.append(problem("unit_slip_bad", unit=unit, slip="", factor=slips))
            continue
        for slip, factor in slips.items():
            try:
                value = Fraction(Decimal(str(factor)))
            except (ArithmeticError, ValueError, TypeError):
                value = Fraction(0)
            if value <= 0 or value == 1 or isinstance(factor, bool):
                problems.append(problem("unit_slip_bad", unit=unit, slip=slip, factor=factor))
                continue
            out.setdefault(str(unit), {})[str(slip)] = value
    return out


_HERE = Path(__file__).resolve().parent
_RELATIVE_IMPORT = re.compile(r"^\s*from\s+(\.+)([\w.]*)\s+import\s+(.+)$", re.M)


@lru_cache(maxsize=1)
def shaping_sources() -> tuple[Path, ...]:
    """The code that shapes a built Spec, which keys its disk cache along with the YAML: every
    module of this package and, transitively, every module of the tool they import (derived
    from the source, so a new module or import joins the key without a list to keep in step).
    ``system`` imports only what lies below it (the catalogue texts, file utilities), so this is
    the package and a few small modules; the package's ``__init__`` is the tool's version."""
    top = _HERE.parent
    todo = [f"system/{p.name}" for p in _HERE.glob("*.py")]
    seen: set[str] = set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        folder = name.split("/")[:-1]
        for dots, module, names in _RELATIVE_IMPORT.findall((top / name).read_text("utf-8")):
            up = len(dots) - 1
            base = [*(folder[: len(folder) - up] if up else folder), *filter(None, module.split("."))]
            for leaf in ["", *(n.strip(" ()") for n in names.split(","))]:
                parts = [*base, leaf] if leaf else base
                for candidate in ("/".join(parts) + ".py", "/".join([*parts, "__init__.py"])):
                    if (top / candidate).is_file():
                        todo.append(candidate)
    return tuple(top / n for n in sorted(seen))


@lru_cache(maxsize=4)
def load_spec(directory: str | None = None) -> Spec:
    """The validated indicator system (cached per process, and on disk for the shipped spec).

    Parsing and validating the YAML costs ~40 ms, a large share of a short run's start; the
    validated Spec is pickled to the user's cache folder under a hash of the YAML bytes, so a
    changed file is never served stale and a cache that cannot be written is simply skipped."""
    if directory:
        return build_spec(read_system(directory))
    texts = _texts(None)
    code = b"".join(p.read_bytes() for p in shaping_sources())  # a changed class or check must not meet an old pickle
    digest = hashlib.sha256(b"\0".join(texts[n] for n in SPEC_FILES) + code + __version__.encode()).hexdigest()[:20]
    cached = _cache_file(digest)
    if cached is not None and cached.is_file():
        try:
            spec = pickle.loads(cached.read_bytes())
            if isinstance(spec, Spec):
                return spec
        except Exception:  # noqa: BLE001 - a corrupt or foreign cache file is rebuilt
            pass
    spec = build_spec(_parse(texts))
    if cached is not None:
        try:
            from ..files.atomic import write_bytes

            write_bytes(cached, pickle.dumps(spec, protocol=pickle.HIGHEST_PROTOCOL))
            for old in cached.parent.glob("spec-*.pickle"):  # left by an earlier version or spec
                if old != cached:
                    old.unlink(missing_ok=True)
        except OSError:
            pass
    return spec


def _cache_file(digest: str) -> Path | None:
    """``<cache>/spec-<digest>.pickle`` (:func:`.user_cache.cache_dir`), or None when caching is off."""
    from ..files.user_cache import cache_dir

    base = cache_dir()
    return base / f"spec-{digest}.pickle" if base is not None else None


def resolver_of(spec: Spec) -> UnitResolver:
    """The unit resolver of a built system (names and aliases -> canonical names), memoised."""
    return spec.derived.memo(_resolver)


def _resolver(spec: Spec) -> UnitResolver:
    return UnitResolver(spec.units, spec.groups)


def read_system(directory: str | Path | None = None) -> dict[str, Any]:
    """The raw indicator system: the shipped one, or a folder of system YAML an office edited.
    (A system *workbook* is read at the workbook edge,
    :func:`yongji_xls.workbook.write.system_workbook.read_system_workbook`, into the same shape.)"""
    if not directory:
        return _read_raw(None)
    p = Path(directory)
    if not p.is_dir():
        raise SpecNotFound([problem("system_not_found", path=p)])
    missing = [f"{n}.yaml" for n in SPEC_FILES if not (p / f"{n}.yaml").is_file()]
    if missing:
        raise SpecNotFound([problem("system_files_missing", path=p, files="、".join(missing))])
    obsolete = [problem(code, path=p / f"{n}.yaml") for n, code in OBSOLETE_FILES.items() if (p / f"{n}.yaml").exists()]
    if obsolete:  # its content would otherwise be dropped without a word
        raise SpecError(obsolete)
    raw: dict[str, Any] = {}
    for name in SPEC_FILES:  # one at a time, so that a problem names its file
        file = p / f"{name}.yaml"
        try:
            raw.update(_parse({name: file.read_bytes()}, trusted=False))
        except Exception as e:  # noqa: BLE001 - yaml raises many subclasses, a bad byte UnicodeDecodeError
            raise SpecError([_unreadable(file, e)]) from e
    return raw


def shipped_units() -> dict[str, Any]:
    """The shipped unit registry (Yongji's ``units.yaml``): the registry of a system workbook,
    which carries none of its own."""
    return _read_raw(None)["units"]


def _unreadable(file: Path, e: Exception) -> str:
    """Why a spec file could not be read, as its editor needs it: the line of a YAML mistake
    (PyYAML's own text names no file, the bytes having been read first)."""
    import yaml

    if isinstance(e, UnicodeDecodeError):
        return problem("system_file_not_utf8", path=file)
    if isinstance(e, RecursionError):
        return problem("system_yaml_too_deep", path=file)
    if isinstance(e, yaml.MarkedYAMLError) and e.problem_mark is not None:
        return problem("system_yaml_invalid", path=file, line=e.problem_mark.line + 1, error=e.problem)
    from ..issues import os_reason

    return problem("system_yaml_unreadable", path=file, error=os_reason(e))


def _work_plan(system: dict[str, Any], units: dict[str, Any]) -> str:
    """The county's work plan as outputs cite it: the office's plan title and 文号 when its
    registry has them (单位配置.xlsx, or Yongji's units.yaml), else the registry's ``document``,
    else the system's (a system written before the plan became county data)."""
    office = units.get("office", {}) or {}
    title, number = str(office.get("plan_title", "") or ""), str(office.get("plan_number", "") or "")
    if title:
        return title + (f"（{number}）" if number else "")
    return str(units.get("document") or system.get("document", ""))


def with_office(raw: dict[str, Any], units: dict[str, Any], region: str | None) -> dict[str, Any]:
    """The raw system with an office's unit configuration (the ``units`` shape, as read from
    单位配置.xlsx) laid over it: its registry, its default region and its work plan's title; the
    责任单位 texts renamed for another county (:func:`localise_units_texts`)."""
    home = str(raw["units"].get("office", {}).get("city", ""))
    raw = {**raw, "units": units}
    if region:
        raw["system"] = {**raw["system"], "region": {**raw["system"]["region"], "default": region}}
    if units.get("document"):
        raw["system"] = {**raw["system"], "document": units["document"]}
    city = str(units["office"].get("city", ""))
    if home and city and city != home:
        raw = localise_units_texts(raw, home, city)
    return raw


def build_system(raw: dict[str, Any], locate: Callable[[list[str]], list[str]] | None = None) -> Spec:
    """:func:`build_spec` of a raw system that came from outside the package: ``locate`` puts the
    place its reader knows in front of each build problem (a workbook's sheet and row); a shape
    the reader let through but the build trips on is one problem, not a traceback."""
    try:
        return build_spec(raw)
    except SpecError as e:
        if locate is None:
            raise
        raise SpecError(locate(e.problems)) from e
    except (KeyError, TypeError, ValueError) as e:
        raise SpecError([problem("system_incomplete", error_type=type(e).__name__, error=str(e))]) from e


def localise_units_texts(raw: dict[str, Any], home: str, city: str) -> dict[str, Any]:
    """The indicators' 责任单位 texts as another county reads them (its tasks are its own, named
    in its own registry already): every unit named by its canonical name in
    that county's registry (市统计局 → 县统计局), a group's wording with the county swapped
    (永济市…联席会议各成员单位 → 临猗县…); separators and unknown names are kept, so a unit the
    registry lacks is still reported by the build."""
    units, groups = _build_units(raw["units"])
    resolver = UnitResolver(units, groups)
    split = re.compile(r"([、，,；;\s]+)")

    def local(text: str) -> str:
        out = []
        for part in split.split(str(text)):
            key = normalise_name(part)
            if not key or split.fullmatch(part):
                out.append(part)
            elif key in resolver.groups:
                swapped = part.replace(home, city)
                out.append(swapped if normalise_name(swapped) in resolver.groups else part)
            else:
                out.append(resolver.names.get(key, part))
        return "".join(out)

    indicators = [{**i, "units_text": local(i["units_text"])} for i in raw["indicators"]["indicators"]]
    return {**raw, "indicators": {**raw["indicators"], "indicators": indicators}}
