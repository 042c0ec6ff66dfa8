"""Audit checkpoints in the database: every gateway replica signs into one append-only table.

They used to go to a JSONL file per process; with several replicas, ``bulwark audit verify`` needs them
in one place. The rows are append-only like the records (same trigger function on PostgreSQL).

Revision ID: 0006_audit_checkpoints
Revises: 0002_audit_ledger
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_audit_checkpoints"
down_revision = "0002_audit_ledger"
branch_labels = None
depends_on = None

PG_TRIGGERS = (
    "CREATE TRIGGER audit_checkpoints_append_only BEFORE UPDATE OR DELETE ON audit_checkpoints "
    "FOR EACH ROW EXECUTE FUNCTION bulwark_audit_append_only()",
    "CREATE TRIGGER audit_checkpoints_no_truncate BEFORE TRUNCATE ON audit_checkpoints "
    "FOR EACH STATEMENT EXECUTE FUNCTION bulwark_audit_append_only()",
)
SQLITE_TRIGGERS = tuple(
    f"CREATE TRIGGER audit_checkpoints_no_{action.lower()} BEFORE {action} ON audit_checkpoints "
    "BEGIN SELECT RAISE(ABORT, 'audit ledger rows are append-only'); END"
    for action in ("UPDATE", "DELETE")
)


def upgrade() -> None:
    op.create_table(
        "audit_checkpoints",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("ledger_id", sa.String(64), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.Column("signed_time", sa.String(40), nullable=False),
        sa.Column("key_id", sa.String(64), nullable=False),
        sa.Column("signature", sa.String(128), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_checkpoints")),
    )
    op.create_index(op.f("ix_audit_checkpoints_seq"), "audit_checkpoints", ["seq"])
    is_postgres = op.get_bind().dialect.name == "postgresql"
    for statement in PG_TRIGGERS if is_postgres else SQLITE_TRIGGERS:
        op.execute(statement)


def downgrade() -> None:
    op.drop_table("audit_checkpoints")  # its triggers go with it
