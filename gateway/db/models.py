"""Every domain's SQLAlchemy models, imported once so ``Base.metadata`` is complete (Alembic, tests)."""

from __future__ import annotations

import importlib

MODEL_MODULES = (
    "gateway.tenants.models",
    "gateway.audit.models",
    "gateway.console.models",
    "gateway.policy.models",
)


def import_all_models() -> None:
    for module in MODEL_MODULES:
        importlib.import_module(module)
