"""``extends``: resolve each file's chain of bases (refusing cycles) and deep-merge it, remembering which
file supplied every value so an error in the merged policy points at the line that caused it.

Mappings merge key by key; any other value (lists included) replaces the inherited one.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Set
from dataclasses import dataclass, field
from typing import Any

from gateway.policy.issues import PolicyIssue, PolicySetInvalid
from gateway.policy.source import DataPath, PolicySource

EXTENDS = "extends"
# Describes one file only: a tenant does not inherit its base's description.
NOT_INHERITED = frozenset({EXTENDS, "description", "locked"})


@dataclass
class MergedPolicy:
    origin: PolicySource  # the file being resolved (a tenant, or a base checked on its own)
    chain: tuple[str, ...]  # names of the bases merged under it, most general first
    data: dict[str, Any] = field(default_factory=dict)
    owners: dict[DataPath, PolicySource] = field(default_factory=dict)

    def issue(self, path: DataPath, message: str, *, of_key: bool = False) -> PolicyIssue:
        """An issue at ``path`` in whichever file supplied it (or its nearest supplied ancestor)."""
        probe = path
        while probe and probe not in self.owners:
            probe = probe[:-1]
        owner = self.owners.get(probe, self.origin) if probe else self.origin
        line, column = owner.nearest_position(path, of_key=of_key)
        return PolicyIssue(owner.display_path, line, column, message, origin=self.origin.display_path)


def extends_of(source: PolicySource) -> list[str]:
    """The base names a file extends; raises :class:`PolicySetInvalid` if ``extends`` is malformed."""
    value = source.data.get(EXTENDS)
    if value is None:
        return []
    names = [value] if isinstance(value, str) else value
    if not isinstance(names, list) or not all(isinstance(name, str) and name for name in names):
        raise PolicySetInvalid(
            [source.issue((EXTENDS,), "extends must be a base policy name or a list of them")]
        )
    return list(names)


def resolve_chain(
    source: PolicySource, bases: Mapping[str, PolicySource], broken: Set[str] = frozenset()
) -> list[PolicySource]:
    """Bases to merge under ``source``, most general first, each once; raises on unknown names/cycles.

    ``broken`` names bases that failed to parse: their problem is already reported, so a file extending
    one is skipped without a second, misleading "unknown base" issue.
    """
    ordered: list[PolicySource] = []
    _visit(source, bases, broken, [], ordered)
    return ordered[:-1]  # the last one is ``source`` itself


def _visit(
    source: PolicySource,
    bases: Mapping[str, PolicySource],
    broken: Set[str],
    stack: list[str],
    ordered: list[PolicySource],
) -> None:
    key = f"{source.kind}:{source.name}"
    stack = [*stack, key]
    for index, name in enumerate(extends_of(source)):
        where: DataPath = (EXTENDS, index) if isinstance(source.data[EXTENDS], list) else (EXTENDS,)
        base = bases.get(name)
        if name in broken:
            raise PolicySetInvalid([])
        if base is None:
            message = f"unknown base policy {name!r} (no base/{name}.yaml)"
            raise PolicySetInvalid([source.issue(where, message)])
        if f"base:{name}" in stack:
            cycle = " -> ".join([*(entry.split(":", 1)[1] for entry in stack), name])
            raise PolicySetInvalid([source.issue(where, f"cycle in extends: {cycle}")])
        _visit(base, bases, broken, stack, ordered)
    if all(existing is not source for existing in ordered):
        ordered.append(source)


def merge(origin: PolicySource, chain: list[PolicySource]) -> MergedPolicy:
    merged = MergedPolicy(origin=origin, chain=tuple(base.name for base in chain))
    for source in [*chain, origin]:
        skipped = {EXTENDS} if source is origin else NOT_INHERITED
        data = {key: value for key, value in source.data.items() if key not in skipped}
        _deep_merge(merged.data, copy.deepcopy(data))
        for path in (*source.value_positions, *source.key_positions):
            if path[0] not in skipped:
                merged.owners[path] = source
    return merged


def _deep_merge(target: dict[str, Any], overlay: Mapping[str, Any]) -> None:
    for key, value in overlay.items():
        current = target.get(key)
        if isinstance(current, dict) and isinstance(value, dict):
            _deep_merge(current, value)
        else:
            target[key] = value
