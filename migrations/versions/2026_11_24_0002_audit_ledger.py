"""Audit ledger: sequenced, chained, encrypted records; bodies, data keys, chain head, tenant controls.

Reshapes the foundation's plain ``audit_records`` (pre-release, unencrypted rows are not carried over:
they could not be chained or encrypted after the fact) and makes the ledger append-only at the database:
triggers refuse UPDATE and DELETE of records and UPDATE of bodies (purge may delete bodies; verify then
demands a purge record) on PostgreSQL and SQLite alike.

Revision ID: 0002_audit_ledger
Revises: 0001_foundation
Create Date: 2026-11-24
"""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from alembic import op

from gateway.audit.canonical import genesis_hash
from gateway.db.base import UtcDateTime

revision = "0002_audit_ledger"
down_revision = "0001_foundation"
branch_labels = ("audit",)
depends_on = None

REFUSAL = "audit ledger rows are append-only"
PG_FUNCTION = f"""
CREATE FUNCTION bulwark_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '{REFUSAL} (% on %)', TG_OP, TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END $$
"""
PG_TRIGGERS = (
    "CREATE TRIGGER audit_records_append_only BEFORE UPDATE OR DELETE ON audit_records "
    "FOR EACH ROW EXECUTE FUNCTION bulwark_audit_append_only()",
    "CREATE TRIGGER audit_records_no_truncate BEFORE TRUNCATE ON audit_records "
    "FOR EACH STATEMENT EXECUTE FUNCTION bulwark_audit_append_only()",
    "CREATE TRIGGER audit_bodies_no_update BEFORE UPDATE ON audit_bodies "
    "FOR EACH ROW EXECUTE FUNCTION bulwark_audit_append_only()",
    "CREATE TRIGGER audit_bodies_no_truncate BEFORE TRUNCATE ON audit_bodies "
    "FOR EACH STATEMENT EXECUTE FUNCTION bulwark_audit_append_only()",
)
SQLITE_TRIGGERS = tuple(
    f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} "
    f"BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END"
    for table, action in (
        ("audit_records", "UPDATE"),
        ("audit_records", "DELETE"),
        ("audit_bodies", "UPDATE"),
    )
)


def upgrade() -> None:
    op.drop_table("audit_records")
    _create_records()
    op.create_table(
        "audit_bodies",
        sa.Column("seq", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("nonce", sa.LargeBinary(), nullable=False),
        sa.Column("ciphertext", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_audit_bodies")),
    )
    op.create_table(
        "audit_data_keys",
        sa.Column("id", sa.String(40), nullable=False),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("kek_id", sa.String(64), nullable=False),
        sa.Column("wrapped_key", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("records_encrypted", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_data_keys")),
        sa.UniqueConstraint("tenant_id", "version", name=op.f("uq_audit_data_keys_tenant_version")),
    )
    op.create_index(op.f("ix_audit_data_keys_tenant_id"), "audit_data_keys", ["tenant_id"])
    head = op.create_table(
        "audit_chain_head",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("ledger_id", sa.String(64), nullable=False),
        sa.Column("last_seq", sa.BigInteger(), nullable=False),
        sa.Column("last_hash", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_chain_head")),
    )
    ledger_id = uuid.uuid4().hex
    op.bulk_insert(
        head, [{"id": 1, "ledger_id": ledger_id, "last_seq": 0, "last_hash": genesis_hash(ledger_id)}]
    )
    op.create_table(
        "audit_tenant_controls",
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("retention_days", sa.Integer(), nullable=True),
        sa.Column("legal_hold", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", name=op.f("pk_audit_tenant_controls")),
    )
    _install_triggers()


def _create_records() -> None:
    op.create_table(
        "audit_records",
        sa.Column("seq", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("event_type", sa.String(64), nullable=False),
        sa.Column("outcome", sa.String(32), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=True),
        sa.Column("request_id", sa.String(64), nullable=True),
        sa.Column("tenant_id", sa.String(64), nullable=True),
        sa.Column("key_id", sa.String(64), nullable=True),
        sa.Column("actor", sa.String(200), nullable=True),
        sa.Column("endpoint", sa.String(64), nullable=True),
        sa.Column("model", sa.String(200), nullable=True),
        sa.Column("policy_version", sa.String(80), nullable=True),
        sa.Column("stages", sa.JSON(), nullable=False),
        sa.Column("pii_counts", sa.JSON(), nullable=False),
        sa.Column("prompt_tokens", sa.Integer(), nullable=True),
        sa.Column("completion_tokens", sa.Integer(), nullable=True),
        sa.Column("latency_ms", sa.Integer(), nullable=True),
        sa.Column("error_code", sa.String(64), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=True),
        sa.Column("body_mode", sa.String(16), nullable=False),
        sa.Column("data_key_id", sa.String(40), nullable=True),
        sa.Column("body_digest", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_audit_records")),
    )
    for column in ("created_at", "event_type", "request_id", "tenant_id"):
        op.create_index(op.f(f"ix_audit_records_{column}"), "audit_records", [column])


def _install_triggers() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(PG_FUNCTION)
        for statement in PG_TRIGGERS:
            op.execute(statement)
    else:
        for statement in SQLITE_TRIGGERS:
            op.execute(statement)


def downgrade() -> None:
    # Dropping the tables drops their triggers; the function stands alone.
    for table in (
        "audit_tenant_controls",
        "audit_chain_head",
        "audit_data_keys",
        "audit_bodies",
        "audit_records",
    ):
        op.drop_table(table)
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS bulwark_audit_append_only()")
    _create_foundation_records()


def _create_foundation_records() -> None:
    """The foundation's plain table, exactly as 0001 made it, so its own downgrade finds it."""
    op.create_table(
        "audit_records",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("event_type", sa.String(64), nullable=False),
        sa.Column("outcome", sa.String(32), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=True),
        sa.Column("request_id", sa.String(64), nullable=True),
        sa.Column("tenant_id", sa.String(64), nullable=True),
        sa.Column("key_id", sa.String(64), nullable=True),
        sa.Column("actor", sa.String(200), nullable=True),
        sa.Column("endpoint", sa.String(64), nullable=True),
        sa.Column("model", sa.String(200), nullable=True),
        sa.Column("policy_version", sa.String(80), nullable=True),
        sa.Column("stages", sa.JSON(), nullable=False),
        sa.Column("pii_counts", sa.JSON(), nullable=False),
        sa.Column("prompt_tokens", sa.Integer(), nullable=True),
        sa.Column("completion_tokens", sa.Integer(), nullable=True),
        sa.Column("latency_ms", sa.Integer(), nullable=True),
        sa.Column("error_code", sa.String(64), nullable=True),
        sa.Column("body", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_records")),
    )
    for column in ("created_at", "event_type", "request_id", "tenant_id"):
        op.create_index(op.f(f"ix_audit_records_{column}"), "audit_records", [column])
