"""Console: a reveal request's reason leaves the clear table; it lives in the ledger's encrypted body.

Requests made before this revision lose their clear copy; the reason stays in the encrypted body of their
``console.reveal_requested`` ledger record, where a compliance officer can still read it.

Revision ID: 0006_console_reason_sealed
Revises: 0005_console
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_console_reason_sealed"
down_revision = "0005_console"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("console_reveal_requests") as batch:
        batch.add_column(sa.Column("reason_seq", sa.BigInteger(), nullable=True))
        batch.drop_column("reason")


def downgrade() -> None:
    with op.batch_alter_table("console_reveal_requests") as batch:
        batch.add_column(sa.Column("reason", sa.Text(), nullable=False, server_default=""))
        batch.drop_column("reason_seq")
