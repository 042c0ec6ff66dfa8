"""Validates a merged policy against the schema and maps every pydantic error back to a file line."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from gateway.pii.entity_types import BUILTIN_ENTITY_TYPES
from gateway.policy.issues import PolicyIssue, PolicySetInvalid
from gateway.policy.merge import MergedPolicy
from gateway.policy.schema import BasePolicy, PolicyBody, TenantPolicy, ValidationOptions

_UNKNOWN_ENTITY_MESSAGE = "unknown PII entity types"


def validate_base(merged: MergedPolicy, options: ValidationOptions) -> BasePolicy:
    policy = _validate(BasePolicy, merged, options)
    assert isinstance(policy, BasePolicy)
    return policy


def validate_tenant(merged: MergedPolicy, options: ValidationOptions) -> TenantPolicy:
    tenant = merged.data.get("tenant")
    issues: list[PolicyIssue] = []
    if isinstance(tenant, str) and tenant != merged.origin.name:
        message = f"tenant id {tenant!r} does not match the file name ({merged.origin.name}.yaml)"
        issues.append(merged.issue(("tenant",), message))
    try:
        policy = _validate(TenantPolicy, merged, options)
    except PolicySetInvalid as error:
        raise PolicySetInvalid([*issues, *error.issues]) from None
    if issues:
        raise PolicySetInvalid(issues)
    assert isinstance(policy, TenantPolicy)
    return policy.model_copy(update={"extends": merged.chain})


def _validate(schema: type[PolicyBody], merged: MergedPolicy, options: ValidationOptions) -> PolicyBody:
    entity_issues = _unknown_entities(merged)
    try:
        policy = schema.model_validate(merged.data, context=options)
    except ValidationError as error:
        issues = [
            _issue(merged, detail)
            for detail in error.errors(include_url=False)
            if not (entity_issues and _UNKNOWN_ENTITY_MESSAGE in detail["msg"])
        ]
        raise PolicySetInvalid([*entity_issues, *issues]) from None
    if entity_issues:
        raise PolicySetInvalid(entity_issues)
    return policy


def _issue(merged: MergedPolicy, detail: ErrorDetails) -> PolicyIssue:
    path = tuple(detail["loc"])
    dotted = ".".join(str(part) for part in path)
    message = str(detail["msg"]).removeprefix("Value error, ")
    kind = detail["type"]
    if kind == "extra_forbidden":
        parent = ".".join(str(part) for part in path[:-1])
        where = f" in {parent}" if parent else ""
        return merged.issue(path, f"unknown key {str(path[-1])!r}{where}", of_key=True)
    if kind == "missing":
        return merged.issue(path[:-1], f"missing required key {dotted!r}", of_key=True)
    return merged.issue(path, f"{dotted}: {message}" if dotted else message)


def _unknown_entities(merged: MergedPolicy) -> list[PolicyIssue]:
    """One issue per unknown entity type, at its own line (the PII model reports them all at once)."""
    pii = merged.data.get("pii")
    if not isinstance(pii, dict) or not isinstance(pii.get("entities"), dict):
        return []
    known = set(BUILTIN_ENTITY_TYPES) | _custom_types(pii)
    return [
        merged.issue(("pii", "entities", name), f"unknown PII entity type {name!r}", of_key=True)
        for name in pii["entities"]
        if name not in known
    ]


def _custom_types(pii: dict[str, Any]) -> set[str]:
    types: set[str] = set()
    for field in ("custom_recognizers", "deny_terms"):
        entries = pii.get(field)
        if isinstance(entries, list):
            types |= {str(e["entity_type"]) for e in entries if isinstance(e, dict) and "entity_type" in e}
    return types
