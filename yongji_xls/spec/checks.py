"""Consistency checks of a built indicator system: points add up, keys are unique, every unit
and field resolves. Every finding is collected (in Chinese) so an editor sees them all at once."""

from __future__ import annotations

from .model import Spec


def validate(spec: Spec, problems: list[str]) -> None:
    """Append a Chinese sentence to ``problems`` for every inconsistency found."""
    keys: dict[str, str] = {}
    for ls in spec.lists:
        if ls.key not in {i.key for i in spec.indicators}:
            problems.append(f"清单「{ls.key}」应以其所属指标的编号为键")
    for kind, items in (("指标", spec.indicators), ("数据项", spec.fields), ("任务", spec.tasks)):
        for item in items:
            if item.key in keys:
                problems.append(f"键「{item.key}」重复（{keys[item.key]}与{kind}）")
            keys[item.key] = kind
    for ind in spec.indicators:
        for c in ind.criteria:
            if c.key in keys:
                problems.append(f"评分要点键「{c.key}」重复")
            keys[c.key] = "评分要点"
            if not c.key.startswith(ind.key + "."):
                problems.append(f"指标{ind.key}的评分要点键「{c.key}」应以「{ind.key}.」开头")
        if ind.rule is None and not ind.criteria:
            problems.append(f"指标{ind.key}既无计分规则也无评分要点")
        if ind.criteria:
            if ind.aggregate == "any":
                bad = [c.key for c in ind.criteria if c.points != ind.points]
                if bad:
                    problems.append(f"指标{ind.key}为“符合一项即可得分”，各要点分值应为{ind.points}分：{bad}")
            elif sum(c.points for c in ind.criteria) != ind.points:
                problems.append(
                    f"指标{ind.key}各评分要点分值之和{sum(c.points for c in ind.criteria)}不等于指标分值{ind.points}"
                )
        if not ind.units:
            problems.append(f"指标{ind.key}没有可识别的责任单位")
        for f in ind.fields:
            if f not in keys and f not in {ls.key for ls in spec.lists}:
                problems.append(f"指标{ind.key}的规则引用了不存在的数据项「{f}」")
    seconds = {s.name: s for s in spec.second_levels}
    for s in spec.second_levels:
        total = sum(spec.indicator(k).points for k in s.indicators)
        if total != s.points:
            problems.append(f"二级指标「{s.name}」分值{s.points}与其三级指标之和{total}不符")
    for f in spec.first_levels:
        total = sum(seconds[n].points for n in f.second)
        if total != f.points:
            problems.append(f"一级指标「{f.name}」分值{f.points}与其二级指标之和{total}不符")
    assigned = {k for s in spec.second_levels for k in s.indicators}
    for ind in spec.indicators:
        if ind.key not in assigned:
            problems.append(f"指标{ind.key}的一级/二级指标「{ind.first}/{ind.second}」不在system.yaml中")
    if spec.max_points != spec.total_points or sum(f.points for f in spec.first_levels) != spec.total_points:
        problems.append(f"总分应为{spec.total_points}分，实际指标之和为{spec.max_points}分")
    for fld in spec.fields:
        if not fld.used_by:
            problems.append(f"数据项{fld.key}没有被任何指标使用")
        for ind_key in fld.used_by:
            ind = spec.indicator(ind_key)
            for u in (fld.owner, *fld.cross_check):
                if u and u not in ind.units:
                    problems.append(f"数据项{fld.key}的单位「{u}」不是指标{ind_key}的责任单位")
    for key, what in (("city", "所在市县名称"), ("name", "领导小组办公室名称")):
        if not spec.office.get(key):
            problems.append(f"units.yaml的office缺少{key}（{what}）")
    for name in spec.national_names():
        if name not in spec.reference_labels:
            problems.append(f"全国参考值「{name}」在national.yaml的labels中没有中文名称")
    for t in spec.tasks:
        if not t.units:
            problems.append(f"任务{t.key}没有可识别的责任单位")
