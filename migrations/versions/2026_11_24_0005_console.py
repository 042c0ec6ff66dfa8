"""Console: reveal requests awaiting a second compliance officer's approval.

Revision ID: 0005_console
Revises: 0001_foundation
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from gateway.db.base import UtcDateTime

revision = "0005_console"
down_revision = "0001_foundation"
branch_labels = ("console",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "console_reveal_requests",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("record_seq", sa.BigInteger(), nullable=False),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("requested_by", sa.String(400), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("approved_by", sa.String(400), nullable=True),
        sa.Column("approved_at", UtcDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_console_reveal_requests")),
    )
    op.create_index(op.f("ix_console_reveal_requests_record_seq"), "console_reveal_requests", ["record_seq"])
    op.create_index(op.f("ix_console_reveal_requests_tenant_id"), "console_reveal_requests", ["tenant_id"])


def downgrade() -> None:
    op.drop_table("console_reveal_requests")
