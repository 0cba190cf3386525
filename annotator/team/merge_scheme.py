"""The team project's scheme taking each file's, before any of the file's work is written:
labels matched by name, each bringing the attributes it declares, and relation types matched
by name, widened to allow the ends the file's allow.

First, so that the work which follows is checked against the team project's own scheme: the
team project never holds a span or relation it would itself refuse. A declaration the two
cannot share (an attribute free text in one and a choice in the other, a label differing
from a team label in case alone) refuses the merge.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from annotator.model import Label, LabelError, Refused
from annotator.printable import printable
from annotator.store.project import Store
from annotator.team.merge_report import MergeError, SourceReport
from annotator.team.merge_source import Source


def merge_labels(
    into: Store, source: Source, declared: dict[tuple[str, str], Path], result: SourceReport
) -> None:
    """The file's labels in the team project by name: a missing one added, with the attributes
    it declares; one the team project has takes the file's attribute declarations too."""
    team_labels = {lab.name: lab for lab in into.labels.all()}
    used_keys = {lab.hotkey for lab in team_labels.values() if lab.hotkey}
    for spec in source.labels.values():
        label = team_labels.get(spec["name"])
        if label is not None:
            _merge_attributes(into, label, spec["attributes"], source.path, declared, result)
            continue
        hotkey = spec["hotkey"] if spec["hotkey"] not in used_keys else None
        try:
            label = into.labels.add(spec["name"], spec["color"], hotkey, spec["definition"] or "")
        except LabelError as e:  # one differing from a team label in case alone, say
            raise MergeError(
                f"{printable(source.path)}: its label {spec['name']!r} cannot be added to the "
                f"team project ({e}); rename one of the two, then merge again. Nothing was merged."
            ) from None
        if spec["attributes"]:
            _declare_attributes(into, label.name, spec["attributes"], source.path)
        for attribute in spec["attributes"]:
            declared[(label.name, attribute["name"])] = source.path
        team_labels[label.name] = label
        if hotkey:
            used_keys.add(hotkey)
        result.labels_added.append(label.name)
    names = {spec["name"] for spec in source.labels.values()}
    result.labels_missing = sorted(set(team_labels) - names)


def _merge_attributes(
    into: Store,
    label: Label,
    theirs: Sequence[dict[str, Any]],
    path: Path,
    declared: dict[tuple[str, str], Path],
    result: SourceReport,
) -> None:
    """Declare on the team project's label the attributes the file's label declares: a missing
    one is added, a choice takes the values of both; an attribute that is free text in one and
    a choice in the other is refused, as no declaration fits both files' values."""
    ours = [dict(a) for a in label.attributes]
    by_name = {a["name"]: a for a in ours}
    changed = False
    for attribute in theirs:
        name = attribute["name"]
        shown = f"{label.name}.{name}"
        have = by_name.get(name)
        if have is None:
            ours.append(dict(attribute))
            by_name[name] = ours[-1]
            declared[(label.name, name)] = path
            result.attributes_added.append(shown)
            changed = True
        elif have.get("kind", "text") != attribute.get("kind", "text"):
            other = declared.get((label.name, name))
            where = printable(other) if other else f"the team project {printable(into.path)}"
            raise MergeError(
                f"{printable(path)}: label {label.name!r} declares attribute {name!r} as "
                f"{_declared_as(attribute)}, but {where} declares it as {_declared_as(have)}; "
                "make the two declarations agree, then merge again. Nothing was merged."
            )
        elif have.get("kind") == "choice":
            added = [v for v in attribute.get("values", []) if v not in have["values"]]
            if added:
                have["values"] = [*have["values"], *added]
                result.attribute_values_added.setdefault(shown, []).extend(added)
                changed = True
    if changed:
        _declare_attributes(into, label.name, ours, path)


def _declare_attributes(
    into: Store, label: str, attributes: Sequence[dict[str, Any]], path: Path
) -> None:
    try:
        into.labels.set_attributes(label, list(attributes))
    except LabelError as e:  # a file whose declarations were not written by annotator
        raise MergeError(
            f"{printable(path)}: label {label!r} declares its attributes wrongly ({e}). "
            "Nothing was merged."
        ) from None


def _declared_as(attribute: Mapping[str, Any]) -> str:
    if attribute.get("kind") == "choice":
        return f"a choice of {' | '.join(attribute.get('values', []))}"
    return "free text"


def merge_relation_types(into: Store, source: Source, result: SourceReport) -> None:
    """The file's relation types in the team project by name: a missing one added; one the
    team project has is widened to allow the ends the file's allows too, so that every
    relation the file holds fits it."""
    labels = set(into.labels.ids())
    team_types = {kind.name: kind for kind in into.relation_types.all()}
    for spec in source.relation_types:
        kind = team_types.get(spec["name"])
        try:
            if kind is None:
                heads = [h for h in spec["heads"] if h in labels]
                children = [c for c in spec["children"] if c in labels]
                into.relation_types.add(
                    spec["name"], spec["color"], heads, children, spec["definition"]
                )
                result.relation_types_added.append(spec["name"])
                continue
            heads = _wider(kind.heads, spec["heads"], labels)
            children = _wider(kind.children, spec["children"], labels)
            if (heads, children) == (kind.heads, kind.children):
                continue
            into.relation_types.update(kind.name, heads=heads, children=children)
        except (Refused, LabelError) as e:
            raise MergeError(
                f"{printable(source.path)}: its relation type {spec['name']!r} cannot be "
                f"taken into the team project ({e}). Nothing was merged."
            ) from None
        result.relation_types_widened.append(
            {"name": kind.name, "heads": heads, "children": children}
        )


def _wider(ours: list[str], theirs: Sequence[str], labels: Iterable[str]) -> list[str]:
    """One end of a relation type once it also allows a file's (no label named: any label)."""
    if not ours:
        return ours
    if not theirs:
        return []
    known = set(labels)
    added = [name for name in theirs if name in known and name not in ours]
    return [*(name for name in ours if name in known), *added] if added else ours
