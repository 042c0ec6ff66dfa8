"""The rules behind ``/admin/policies``: every answer is limited to the tenants the admin may manage."""

from __future__ import annotations

from typing import Any

import anyio

from gateway.admin.auth import PolicyAdmin
from gateway.errors import BulwarkError, NotFound
from gateway.policy.diff import diff_policy
from gateway.policy.issues import PolicyIssue, PolicySetInvalid
from gateway.policy.policy_set import PolicySet
from gateway.policy.runtime import PolicyRuntime
from gateway.policy.store import PolicyFilesReadOnly

MAX_POLICY_BYTES = 256 * 1024


class PolicyRejected(BulwarkError):
    """The submitted policy (or the set it would produce) is invalid; nothing was changed."""

    status_code = 422
    error_type = "invalid_request_error"
    code = "policy_invalid"

    def __init__(self, message: str, issues: list[str]) -> None:
        super().__init__(message)
        self.issues = issues

    def body(self) -> dict[str, Any]:
        body = super().body()
        body["error"]["issues"] = self.issues
        return body


def tenant_file(tenant_id: str) -> str:
    return f"tenants/{tenant_id}.yaml"


def _in_force(runtime: PolicyRuntime) -> PolicySet:
    current = runtime.store.current
    if current is None:
        raise PolicyRejected("No valid policy set is in force; an operator must fix the files.", [])
    return current


def list_policies(runtime: PolicyRuntime, admin: PolicyAdmin) -> dict[str, Any]:
    current = _in_force(runtime)
    return {
        "version": current.version,
        "data": [
            {"tenant": t, "name": p.name, "extends": list(p.extends), "file": tenant_file(t)}
            for t, p in current.tenants.items()
            if admin.may_manage(t)
        ],
    }


def get_policy(runtime: PolicyRuntime, admin: PolicyAdmin, tenant_id: str) -> dict[str, Any]:
    admin.require(tenant_id)
    current = _in_force(runtime)
    policy = current.get(tenant_id)
    source = current.sources.get(tenant_file(tenant_id))
    if policy is None or source is None:
        raise NotFound(f"No policy for tenant {tenant_id!r}.", param="tenant")
    return {
        "tenant": tenant_id,
        "version": current.version,
        "effective": policy.model_dump(mode="json"),
        "source": source.text,
    }


async def put_policy(
    runtime: PolicyRuntime, admin: PolicyAdmin, tenant_id: str, raw: bytes, *, dry_run: bool
) -> dict[str, Any]:
    admin.require(tenant_id)
    if not dry_run and runtime.store.read_only:
        raise PolicyFilesReadOnly()
    if len(raw) > MAX_POLICY_BYTES:
        raise PolicyRejected(f"A policy file may be at most {MAX_POLICY_BYTES} bytes.", [])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise PolicyRejected("A policy file must be UTF-8 text.", []) from None
    relative = tenant_file(tenant_id)
    old = runtime.store.current
    old_effective = old.tenants[tenant_id].model_dump(mode="json") if old and old.get(tenant_id) else {}
    try:
        candidate = await anyio.to_thread.run_sync(runtime.store.preview, {relative: text})
    except PolicySetInvalid as error:
        if not dry_run:  # a refused change is an admin action too; a preview changes nothing
            version = old.version if old else None
            await anyio.to_thread.run_sync(_record_refused, runtime, admin, version, error.issues)
        raise _rejection(error.issues, relative) from None
    new_effective = candidate.tenants[tenant_id].model_dump(mode="json")
    answer: dict[str, Any] = {
        "tenant": tenant_id,
        "dry_run": dry_run,
        "effective": new_effective,
        "diff": diff_policy(old_effective, new_effective),
    }
    if dry_run:
        return {**answer, "version": candidate.version, "applied": False}
    outcome = await anyio.to_thread.run_sync(runtime.store.write_and_reload, relative, text, admin.actor)
    if not outcome.applied:
        raise _rejection(outcome.issues, relative)
    return {
        **answer,
        "version": outcome.version,
        "previous_version": outcome.previous_version,
        "applied": True,
    }


def _record_refused(
    runtime: PolicyRuntime, admin: PolicyAdmin, version: str | None, issues: tuple[PolicyIssue, ...]
) -> None:
    runtime.history.record_refused(actor=admin.actor, version_in_force=version, issues=issues)


def _rejection(issues: tuple[PolicyIssue, ...], relative: str) -> PolicyRejected:
    """Only the admin's own file's problems are shown; others' files are not theirs to read."""
    own = [str(i) for i in issues if i.path.endswith(relative) or i.origin.endswith(relative)]
    if own:
        return PolicyRejected(f"The policy has {len(own)} problem(s); nothing was changed.", own)
    return PolicyRejected(
        "The policy set has problems outside this tenant's file; an operator must fix them first.", []
    )


def history(runtime: PolicyRuntime, admin: PolicyAdmin, tenant_id: str) -> dict[str, Any]:
    admin.require(tenant_id)
    return {"tenant": tenant_id, "data": [vars(r) for r in runtime.history.revisions(tenant_id)]}
