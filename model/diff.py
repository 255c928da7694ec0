"""What changed between two maps: elements added, removed and changed, by collection and id."""

from __future__ import annotations

from dataclasses import dataclass, field

from flowaudit.model.schema import COLLECTIONS, DataMap


@dataclass(frozen=True)
class ElementChange:
    """One element that differs, with the fields whose values differ."""

    collection: str
    id: str
    fields: tuple[str, ...] = ()


@dataclass(frozen=True)
class MapDiff:
    added: list[ElementChange] = field(default_factory=list)
    removed: list[ElementChange] = field(default_factory=list)
    changed: list[ElementChange] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


def diff_maps(base: DataMap, head: DataMap) -> MapDiff:
    """Compare every collection by id; the organisation counts as one element."""
    result = MapDiff()
    for collection in ("organisation", *COLLECTIONS):
        before = _by_id(base, collection)
        after = _by_id(head, collection)
        for element_id in sorted(after.keys() - before.keys()):
            result.added.append(ElementChange(collection, element_id))
        for element_id in sorted(before.keys() - after.keys()):
            result.removed.append(ElementChange(collection, element_id))
        for element_id in sorted(before.keys() & after.keys()):
            old, new = before[element_id], after[element_id]
            fields = tuple(name for name in sorted(old) if old.get(name) != new.get(name))
            fields += tuple(name for name in sorted(new) if name not in old)
            if fields:
                result.changed.append(ElementChange(collection, element_id, fields))
    return result


def _by_id(data: DataMap, collection: str) -> dict[str, dict[str, object]]:
    if collection == "organisation":
        organisation = data.organisation
        return {} if organisation is None else {organisation.id: organisation.model_dump()}
    return {element.id: element.model_dump() for element in getattr(data, collection)}
