"""Who is signed in to the console: a subject, its roles and the tenants it may see."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"  # manages API keys; sees integrity and usage, never audit content
    COMPLIANCE_OFFICER = "compliance_officer"  # searches headers, reveals bodies with a reason
    AUDITOR = "auditor"  # searches headers only; never sees a body


# Who may read audit headers (search, detail, export) and usage charts.
HEADER_READERS = frozenset({Role.COMPLIANCE_OFFICER, Role.AUDITOR})
# Who may see integrity status and usage charts (no record content at all).
STATUS_READERS = frozenset({Role.ADMIN, Role.COMPLIANCE_OFFICER, Role.AUDITOR})


@dataclass(frozen=True)
class Principal:
    subject: str
    issuer: str
    roles: frozenset[Role]
    # None: every tenant (a site-wide officer). Otherwise only these tenants' records and keys.
    tenants: frozenset[str] | None

    @property
    def actor(self) -> str:
        """How audit records name this person: issuer and subject, so two IdPs never collide."""
        return f"{self.subject}@{self.issuer}"

    def has_any(self, roles: frozenset[Role]) -> bool:
        return bool(self.roles & roles)

    def may_see_tenant(self, tenant_id: str | None) -> bool:
        if self.tenants is None:
            return True
        # Records that belong to no tenant (gateway-wide events) are for site-wide principals only.
        return tenant_id is not None and tenant_id in self.tenants
