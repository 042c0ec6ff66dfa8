"""One real analyzer (Presidio + spaCy) for the whole PII test session: loading it takes seconds."""

from __future__ import annotations

import pytest

from gateway.pii.analyzer import PiiAnalyzer
from gateway.pii.service import PiiService
from gateway.pii.vault import PseudonymVault

TENANT_SECRET = b"pii-tests-tenant-secret-0123456789abcdef"


@pytest.fixture(scope="session")
def analyzer() -> PiiAnalyzer:
    return PiiAnalyzer()


@pytest.fixture
def pii_service(analyzer: PiiAnalyzer) -> PiiService:
    return PiiService(analyzer, TENANT_SECRET, PseudonymVault(), timeout_s=10.0)
