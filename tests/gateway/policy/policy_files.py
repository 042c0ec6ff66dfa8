"""Writes small policy directories for tests (``base/`` and ``tenants/``)."""

from __future__ import annotations

import textwrap
from pathlib import Path

from gateway.policy.policy_set import PolicySet, load_policy_set
from gateway.policy.schema import ValidationOptions

MODEL = "smollm2-135m-instruct"


def write_policy(root: Path, relative: str, text: str) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def tenant_yaml(tenant: str, extra: str = "") -> str:
    body = f"tenant: {tenant}\nname: {tenant.title()}\nmodels:\n  allowed: [{MODEL}]\n"
    return body + textwrap.dedent(extra).lstrip("\n")


def load(root: Path) -> PolicySet:
    return load_policy_set(root, ValidationOptions())
