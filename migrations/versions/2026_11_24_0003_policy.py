"""Policy change history (who changed which tenant's policy, to which version).

Revision ID: 0003_policy
Revises: 0001_foundation
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from gateway.db.base import UtcDateTime

revision = "0003_policy"
down_revision = "0001_foundation"
branch_labels = ("policy",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "policy_revisions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("version", sa.String(80), nullable=False),
        sa.Column("previous_version", sa.String(80), nullable=True),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("tenant_hash", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_policy_revisions")),
    )
    op.create_index(op.f("ix_policy_revisions_tenant_id"), "policy_revisions", ["tenant_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_policy_revisions_tenant_id"), table_name="policy_revisions")
    op.drop_table("policy_revisions")
