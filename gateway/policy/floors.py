"""Compliance floors: a base policy's ``locked:`` fields that the tenants extending it cannot loosen.

A tenant may tighten a locked field where "tighter" has a direction (keep records longer, ask for a
second officer, lower a cap or a limit) and must otherwise keep the base's value exactly. A tenant's own
file, or an ``/admin/policies`` edit of it, that goes below the floor is refused with the file and line
of the offending value. Bases change only on disk (a site administrator's change, reviewed like code).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gateway.policy.issues import PolicyIssue
from gateway.policy.merge import MergedPolicy
from gateway.policy.schema import BasePolicy, TenantPolicy

Stricter = Callable[[Any, Any], bool]


def _higher(base: Any, tenant: Any) -> bool:
    return isinstance(base, int) and isinstance(tenant, int) and tenant >= base


def _lower_cap(base: Any, tenant: Any) -> bool:
    # None means "no cap": never tighter than a set cap, and only another None equals it.
    return base is None or (tenant is not None and tenant <= base)


def _turned_on(base: Any, tenant: Any) -> bool:
    return tenant is True or tenant == base


# Fields where a tenant may go in one direction; every other locked field must equal the base.
_DIRECTION: dict[str, Stricter] = {
    "audit.retention_days": _higher,
    "audit.reveal_requires_approval": _turned_on,
}
_CAP_SECTIONS = ("tokens.max_tokens", "tokens.max_input_tokens", "rate_limits.", "budgets.")


def _stricter_rule(path: str) -> Stricter | None:
    if path in _DIRECTION:
        return _DIRECTION[path]
    if any(path == cap or (cap.endswith(".") and path.startswith(cap)) for cap in _CAP_SECTIONS):
        return _lower_cap
    return None


def _value_at(data: Any, path: str) -> Any:
    for part in path.split("."):
        if not isinstance(data, dict) or part not in data:
            return None
        data = data[part]
    return data


def floor_issues(
    merged: MergedPolicy, tenant: TenantPolicy, bases: list[tuple[str, BasePolicy]]
) -> list[PolicyIssue]:
    """Issues for each locked field the tenant's effective policy loosens, at the line that loosens it."""
    issues: list[PolicyIssue] = []
    effective = tenant.model_dump(mode="json")
    for base_name, base in bases:
        floor = base.model_dump(mode="json")
        for path in base.locked:
            required, actual = _value_at(floor, path), _value_at(effective, path)
            rule = _stricter_rule(path)
            if actual == required or (rule is not None and rule(required, actual)):
                continue
            how = "may only be tightened" if rule is not None else "cannot be changed"
            message = f"{path} is locked by base {base_name!r} ({how}; the base requires {required!r})"
            issues.append(merged.issue(tuple(path.split(".")), message))
    return issues
