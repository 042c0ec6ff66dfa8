"""Loads and validates a whole policy directory into one immutable, versioned :class:`PolicySet`.

Layout: ``<dir>/base/<name>.yaml`` (shared bases, named by ``extends``) and ``<dir>/tenants/<id>.yaml``.
The set is all-or-nothing: one problem anywhere and no set is produced, so a bad edit can never put a
half-valid set in force. The version is a hash of every tenant's *effective* policy, so reformatting or
re-commenting a file does not change it, and any change that alters a decision does.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gateway.policy.floors import floor_issues
from gateway.policy.issues import PolicyIssue, PolicySetInvalid
from gateway.policy.merge import merge, resolve_chain
from gateway.policy.schema import BasePolicy, TenantPolicy, ValidationOptions
from gateway.policy.source import Kind, ParseCache, PolicySource, parse_source
from gateway.policy.validate import validate_base, validate_tenant

FOLDERS: dict[str, Kind] = {"base": "base", "tenants": "tenant"}
SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class PolicySet:
    tenants: Mapping[str, TenantPolicy]
    version: str
    sources: Mapping[str, PolicySource]  # relative path ("tenants/acme.yaml") -> parsed file

    def get(self, tenant_id: str | None) -> TenantPolicy | None:
        return self.tenants.get(tenant_id) if tenant_id is not None else None

    def effective(self) -> dict[str, dict[str, Any]]:
        return {tenant: policy.model_dump(mode="json") for tenant, policy in sorted(self.tenants.items())}


def version_of(tenants: Mapping[str, TenantPolicy]) -> str:
    canonical = json.dumps(
        {tenant: policy.model_dump(mode="json") for tenant, policy in tenants.items()},
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def tenant_hash(effective: Mapping[str, Any]) -> str:
    """Hash of one tenant's effective policy (as JSON data)."""
    canonical = json.dumps(effective, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def display_path(path: Path) -> str:
    """Relative to the working directory when inside it, so ``file:line:col`` is clickable."""
    try:
        return os.path.relpath(path) if path.resolve().is_relative_to(Path.cwd()) else str(path)
    except ValueError:
        return str(path)


def policy_files(root: Path) -> dict[str, Path]:
    """Relative path -> file, for every policy file under ``root``'s ``base/`` and ``tenants/``."""
    found: dict[str, Path] = {}
    for folder in FOLDERS:
        directory = root / folder
        if directory.is_dir():
            for path in sorted(directory.iterdir()):
                if path.suffix in SUFFIXES and path.is_file() and not path.name.startswith("."):
                    found[f"{folder}/{path.name}"] = path
    return found


def read_sources(
    root: Path, overlay: Mapping[str, str] | None = None, cache: ParseCache | None = None
) -> tuple[dict[str, PolicySource], list[PolicyIssue]]:
    """Parse every file (``overlay`` replaces or adds files by relative path without touching disk).

    Returns the files that parsed and the syntax problems of those that did not.
    """
    if not root.is_dir():
        message = "policy directory not found"
        raise PolicySetInvalid([PolicyIssue(display_path(root), 1, 1, message, display_path(root))])
    texts: dict[str, str] = {}
    issues: list[PolicyIssue] = []
    for relative, path in policy_files(root).items():
        try:
            texts[relative] = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            message = f"cannot read the file ({type(error).__name__})"
            issues.append(PolicyIssue(display_path(path), 1, 1, message, display_path(path)))
    texts.update(overlay or {})
    sources: dict[str, PolicySource] = {}
    parse = cache.parse if cache is not None else parse_source
    for relative, text in sorted(texts.items()):
        folder, file_name = relative.split("/", 1)
        try:
            sources[relative] = parse(
                Path(file_name).stem, FOLDERS[folder], display_path(root / relative), text
            )
        except PolicySetInvalid as error:
            issues.extend(error.issues)
    return sources, issues


def build_policy_set(
    sources: Mapping[str, PolicySource],
    options: ValidationOptions,
    unreadable: list[PolicyIssue] | None = None,
) -> PolicySet:
    """Merge and validate parsed files; ``unreadable`` are syntax problems found while parsing."""
    issues: list[PolicyIssue] = list(unreadable or [])
    bases = {source.name: source for source in sources.values() if source.kind == "base"}
    broken = {Path(issue.path).stem for issue in issues if Path(issue.path).parent.name == "base"}
    tenants: dict[str, TenantPolicy] = {}
    validated_bases: dict[str, BasePolicy] = {}
    # Bases first: a tenant is checked against its bases' floors (their effective, validated values).
    for source in sorted(sources.values(), key=lambda s: s.kind != "base"):
        try:
            chain = resolve_chain(source, bases, broken)
            merged = merge(source, chain)
            if source.kind == "base":
                validated_bases[source.name] = validate_base(merged, options)
                continue
            tenant = validate_tenant(merged, options)
            floors = [(b.name, validated_bases[b.name]) for b in chain if b.name in validated_bases]
            floor_problems = floor_issues(merged, tenant, floors)
            if floor_problems:
                raise PolicySetInvalid(floor_problems)
            tenants[source.name] = tenant
        except PolicySetInvalid as error:
            issues.extend(error.issues)
    if issues:
        raise PolicySetInvalid(issues)
    return PolicySet(
        tenants=dict(sorted(tenants.items())),
        version=version_of(tenants),
        sources=dict(sources),
    )


def load_policy_set(
    root: Path,
    options: ValidationOptions,
    overlay: Mapping[str, str] | None = None,
    cache: ParseCache | None = None,
) -> PolicySet:
    """Read, merge and validate ``root``; raises :class:`PolicySetInvalid` listing every problem."""
    sources, unreadable = read_sources(root, overlay, cache)
    return build_policy_set(sources, options, unreadable)
