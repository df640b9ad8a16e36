"""The indicator system and the office's configuration: load and check a system, export it as a
workbook, set up an office, write the units' templates."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..issues import Issue, YongjiError, os_reason

if TYPE_CHECKING:
    from ..system.model import Reference, Spec


def load_system(system: str | Path | None = None, config: str | Path | None = None) -> Spec:
    """The validated indicator system (shipped, a spec YAML folder or a system workbook) with
    an office's unit configuration (单位配置.xlsx) laid over it; defaults: 2022 system, Yongji."""
    return _build_system(system or None, config or None)  # SpecError, ConfigError: fatal, every problem listed


def check_system(system: str | Path | None = None, config: str | Path | None = None) -> list[str]:
    """Every problem of an indicator system (structure first, then consistency), each naming its
    file and path; empty when it loads. A system that is not there at all is fatal (YongjiError)."""
    from ..system.load import SpecError, SpecNotFound

    try:
        _build_system(system or None, config or None)
    except SpecNotFound:
        raise
    except SpecError as e:
        return list(e.problems)
    return []


def _read_system(system: str | Path | None) -> dict[str, Any]:
    """The raw system from where it is: an Excel workbook is read at the workbook edge, a YAML
    folder (or the shipped one) by ``system``; both give the same plain shape."""
    from ..system.load import read_system

    p = Path(system) if system else None
    if p is not None and p.is_file() and p.suffix.lower() in (".xlsx", ".xlsm"):
        from ..workbook.write.system_workbook import read_system_workbook

        return read_system_workbook(p)
    return read_system(p)


def _build_system(system: str | Path | None, config: str | Path | None) -> Spec:
    """Compose the workbook edge and ``system``: read the system and the office configuration
    into plain data, lay one over the other, then check and build (raises SpecError/ConfigError)."""
    from ..system.load import build_system, load_spec, with_office

    if not config and (not system or Path(system).is_dir()):
        return load_spec(str(system) if system else None)  # cached per process (and on disk when shipped)
    raw = _read_system(system)
    if config:
        from ..workbook.write.office_config import read_config

        units, region = read_config(config, tuple(raw["system"]["region"]["thresholds"]))
        raw = with_office(raw, units, region)
    locate = None
    if "_where" in raw:
        from ..workbook.write.system_workbook import locate_problems

        def locate(problems: list[str]) -> list[str]:
            return locate_problems(problems, raw["_where"])

    return build_system(raw, locate)


def load_references(path: str | Path | None) -> tuple[Reference, ...]:
    """National reference figures from a ``--reference`` file (none when ``path`` is empty),
    without the warnings that need the indicator system (see :func:`read_references`)."""
    if not path:
        return ()
    from ..values.references import read_references as _read

    return _read(path)[0]  # ReferenceFileError: fatal, every problem listed


def read_references(
    path: str | Path | None, *, spec: Spec | None = None, year: int | None = None
) -> tuple[tuple[Reference, ...], list[Issue]]:
    """National figures from a ``--reference`` file and the warnings about them (unknown names,
    years outside the assessed window, 0.58 for 58 %); pass the warnings to :func:`run`."""
    if not path:
        return (), []
    from ..values.references import read_references as _read

    return _read(path, spec or load_system(), year)


def system_table(spec: Spec) -> str:
    """The indicator system as the ``spec`` command prints it."""
    from ..system.view import spec_table

    return spec_table(spec)


def system_dict(spec: Spec) -> dict[str, Any]:
    """The indicator system as ``spec --format json`` prints it."""
    from ..system.view import spec_as_dict

    return spec_as_dict(spec)


def write_templates(
    out_dir: str | Path,
    *,
    spec: Spec | None = None,
    year: int | None = None,
    deadline: str | None = None,
    units: Sequence[str] = (),
    prefill: str | Path | None = None,
) -> list[Path]:
    """One fill-in workbook per unit (``units``: names or aliases; default every unit);
    ``prefill``: a previous run's output folder or scores.json whose known values are written
    into the templates (:mod:`yongji_xls.workbook.write.prefill`)."""
    from ..system.load import resolver_of
    from ..values.parse import parse_date
    from ..workbook.write.template_writer import write_templates as _write

    spec = spec or load_system()
    names = []
    for name in units:
        canonical = resolver_of(spec).canonical(name)
        if canonical is None:
            raise YongjiError("unit_unknown", name=name)
        names.append(canonical)
    when: Any = None
    if deadline:
        parsed = parse_date(deadline)
        if not parsed.ok or parsed.value is None:
            raise YongjiError("deadline_invalid", deadline=deadline)
        when = parsed.value.isoformat()
    fills = None
    if prefill:
        from ..system.shares import all_shares
        from ..workbook.write.prefill import PrefillError, fill_for, load_known

        try:
            known = load_known(prefill)
        except PrefillError as e:
            raise YongjiError("prefill_invalid", detail=str(e)) from e
        target = year or spec.default_year
        fills = {
            u: f for u in (names or all_shares(spec, target)) if (f := fill_for(spec, known, u, target)) is not None
        }
    try:
        return _write(spec, Path(out_dir), year or spec.default_year, when, names or None, fills)
    except KeyError as e:
        raise YongjiError("units_nothing_to_fill", units=e.args[0]) from e
    except OSError as e:
        raise YongjiError("write_failed", path=out_dir, reason=os_reason(e)) from e


CONFIG_NAME = "单位配置.xlsx"


def init_office(
    directory: str | Path,
    city: str,
    *,
    region: str | None = None,
    prefecture: str = "运城市",
    from_yongji: bool = False,
    system: str | Path | None = None,
    config: str | Path | None = None,
) -> Path:
    """Create an office folder with an editable 单位配置.xlsx (and 模板/报送/结果 subfolders).

    ``from_yongji`` copies Yongji's registry (towns included) as the starting point, ``config``
    another county's configuration; otherwise the registry is derived for ``city`` (市统计局 →
    县统计局, the system's names kept as aliases) and the towns are left to fill in. ``system``
    gives the regions offered. An existing configuration is never overwritten."""
    from ..workbook.write.office_config import copy_registry, derived_units, read_config, seat_for, write_config

    city = (city or "").strip()
    if not city:
        raise YongjiError("city_missing")
    target = Path(directory) / CONFIG_NAME
    if target.exists():
        raise YongjiError("config_exists", path=target)
    raw = _read_system(system or None)
    regions = tuple(raw["system"]["region"]["thresholds"])
    base = read_config(config, regions) if config else None
    region = region or (base[1] if base and base[1] else raw["system"]["region"]["default"])
    if region not in regions:
        raise YongjiError("region_invalid", region=region, choices="、".join(regions))
    if from_yongji or base:
        start = base[0] if base else raw["units"]
        registry = copy_registry(start)
        home = str(start.get("office", {}).get("city", ""))
        registry["office"] = {**registry["office"], "city": city, "prefecture": prefecture}
        registry["document"] = start.get("document") or raw["system"].get("document", "")
        if city != home:
            registry["office"] = {
                "city": city,
                "prefecture": prefecture,
                "name": f"{city}网络市场监管与服务示范区创建工作领导小组办公室",
                "seat": seat_for(city, registry["office"].get("seat", "")),
                "superior": f"{prefecture}市场监督管理局",
            }
            registry["document"] = f"{city}创建全国网络市场监管与服务示范区工作方案"
            for g in registry["groups"]:
                g["aliases"] = list(
                    dict.fromkeys([*(a.replace(home, city) for a in g.get("aliases", ())), *g.get("aliases", ())])
                )
            for task in registry["tasks"]:  # the plan's texts are the other county's, to review
                task["units_text"] = str(task["units_text"]).replace(home, city)
    else:
        registry = derived_units(raw["units"], city, prefecture)
    try:
        for sub in ("模板", "报送", "结果"):
            (Path(directory) / sub).mkdir(parents=True, exist_ok=True)
        return write_config(target, registry, region, regions)
    except OSError as e:
        raise YongjiError("write_failed", path=directory, reason=os_reason(e)) from e


def office_plan(config: str | Path) -> tuple[str, list[dict[str, Any]]]:
    """(the county, its work plan's tasks as configured) of a 单位配置.xlsx, for ``init`` to list
    what an office must review; ConfigError (fatal, every problem listed) when it does not read."""
    from ..workbook.write.office_config import read_config

    units, _region = read_config(config)
    return str(units["office"].get("city", "")), list(units.get("tasks") or ())


def export_system(out: str | Path, *, system: str | Path | None = None) -> Path:
    """Write the indicator system (default: the shipped 2022 one) as an editable workbook."""
    from ..workbook.write.system_workbook import write_system_workbook

    load_system(system)  # never export a system that does not load
    try:
        return write_system_workbook(_read_system(system or None), out)
    except OSError as e:
        raise YongjiError("write_failed_open", path=out, reason=os_reason(e)) from e
