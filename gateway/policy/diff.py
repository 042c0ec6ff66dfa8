"""The effective difference between two policy sets, one line per changed setting.

Term lists (allow / deny terms) can name patients or customers, so their values are never printed:
only that they changed and how many entries they hold. Diff lines go into audit records and logs.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

Effective = Mapping[str, Mapping[str, Any]]  # tenant id -> effective policy as JSON data
SENSITIVE_LISTS = frozenset({"pii.allow_terms", "pii.deny_terms"})


def flatten(data: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in data.items():
        path = f"{prefix}{key}"
        if isinstance(value, Mapping) and value:
            flat.update(flatten(value, f"{path}."))
        else:
            flat[path] = value
    return flat


def _show(path: str, value: Any) -> str:
    if path in SENSITIVE_LISTS and isinstance(value, list):
        return f"[{len(value)} entries]"
    return json.dumps(value, ensure_ascii=False)


def diff_policy(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    """``path: old -> new`` for every setting that differs between two effective policies."""
    before, after = flatten(old), flatten(new)
    lines = []
    for path in sorted(before.keys() | after.keys()):
        if path in before and path in after and before[path] == after[path]:
            continue
        shown_old = _show(path, before[path]) if path in before else "(unset)"
        shown_new = _show(path, after[path]) if path in after else "(unset)"
        lines.append(f"{path}: {shown_old} -> {shown_new}")
    return lines


def diff_sets(old: Effective, new: Effective) -> list[str]:
    """Per-tenant diff lines (``tenant: path: old -> new``), plus tenants added and removed."""
    lines: list[str] = []
    for tenant in sorted(old.keys() | new.keys()):
        if tenant not in old:
            lines.append(f"{tenant}: policy added")
        elif tenant not in new:
            lines.append(f"{tenant}: policy removed")
        else:
            lines.extend(f"{tenant}: {line}" for line in diff_policy(old[tenant], new[tenant]))
    return lines


def changed_tenants(old: Effective, new: Effective) -> list[str]:
    return sorted(t for t in old.keys() | new.keys() if old.get(t) != new.get(t))
