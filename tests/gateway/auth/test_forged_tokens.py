"""Forged and invalid console tokens all get 401, each refused for its own reason (read from the log)."""

from __future__ import annotations

import hashlib
import hmac
import logging
import time
from collections.abc import Callable
from functools import partial

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from gateway.audit.models import AuditRecord
from gateway.auth.failed_attempts import FailedAuthFlusher
from tests.gateway.auth.idp import RsaKey, TestIdentityProvider, b64url, unsigned_token

ME = "/console/api/me"
Forgery = Callable[[TestIdentityProvider], str]


def alg_none(idp: TestIdentityProvider) -> str:
    return unsigned_token({"alg": "none", "typ": "JWT", "kid": idp.key.kid}, idp.claims(["admin"]))


def hs256_with_public_key(idp: TestIdentityProvider) -> str:
    # The classic key-confusion attack: HMAC keyed with the RSA public key, which anyone can fetch.
    header = {"alg": "HS256", "typ": "JWT", "kid": idp.key.kid}
    unsigned = unsigned_token(header, idp.claims(["admin"])).rsplit(".", 1)[0]
    mac = hmac.new(idp.key.public_pem.encode(), unsigned.encode(), hashlib.sha256).digest()
    return f"{unsigned}.{b64url(mac)}"


def unknown_kid(idp: TestIdentityProvider) -> str:
    return idp.sign(idp.claims(["admin"]), key=RsaKey.generate("attacker-key"))


def known_kid_other_key(idp: TestIdentityProvider) -> str:
    return idp.sign(idp.claims(["admin"]), key=RsaKey.generate(idp.key.kid))


def expired(idp: TestIdentityProvider) -> str:
    now = int(time.time())
    return idp.token(["admin"], iat=now - 3600, nbf=now - 3600, exp=now - 600)


def not_yet_valid(idp: TestIdentityProvider) -> str:
    now = int(time.time())
    return idp.token(["admin"], nbf=now + 600, exp=now + 1200)


def wrong_issuer(idp: TestIdentityProvider) -> str:
    return idp.token(["admin"], iss="https://evil.example/realms/staff")


def wrong_audience(idp: TestIdentityProvider) -> str:
    return idp.token(["admin"], aud="some-other-app")


def tampered_payload(idp: TestIdentityProvider) -> str:
    header, _, signature = idp.token(["auditor"], tenants=["acme"]).split(".")
    escalated = unsigned_token({}, idp.claims(["admin", "compliance_officer"])).split(".")[1]
    return f"{header}.{escalated}.{signature}"


def oversized(idp: TestIdentityProvider) -> str:
    return idp.token(["admin"], padding="x" * 8200)


def missing_nbf(idp: TestIdentityProvider) -> str:
    return idp.token(["admin"], nbf=None)


def missing_exp(idp: TestIdentityProvider) -> str:
    return idp.token(["admin"], exp=None)


def not_a_jwt(idp: TestIdentityProvider) -> str:
    return "bwk_notajwt"


FORGERIES: list[tuple[Forgery, str]] = [
    (alg_none, "algorithm 'none' not pinned"),
    (hs256_with_public_key, "algorithm 'HS256' not pinned"),
    (unknown_kid, "unknown kid"),
    (known_kid_other_key, "Signature verification failed"),
    (expired, "Signature has expired"),
    (not_yet_valid, "not yet valid"),
    (wrong_issuer, "untrusted issuer"),
    (wrong_audience, "Invalid audience"),
    (tampered_payload, "Signature verification failed"),
    (oversized, "larger than 8 KB"),
    (missing_nbf, 'missing required key "nbf"'),
    (missing_exp, 'missing required key "exp"'),
    (not_a_jwt, "malformed token"),
]


@pytest.mark.parametrize(("forge", "reason"), FORGERIES, ids=[forge.__name__ for forge, _ in FORGERIES])
def test_forged_token_is_refused(
    client: TestClient,
    idp: TestIdentityProvider,
    forge: Forgery,
    reason: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    token = forge(idp)
    with caplog.at_level(logging.INFO, logger="gateway.auth.dependencies"):
        response = client.get(ME, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401, response.text
    assert response.json()["error"]["type"] == "authentication_error"
    assert any(reason in message for message in caplog.messages), caplog.messages
    assert token not in caplog.text  # the refusal log never carries the token
    [failed] = _auth_failures(client)  # and the attempt is on the record, in its source's aggregate
    assert failed.detail is not None and reason in " ".join(failed.detail["reasons"])
    assert failed.detail["count"] == 1
    assert (failed.outcome, failed.status_code, failed.endpoint) == ("denied", 401, f"GET {ME}")


def _auth_failures(client: TestClient) -> list[AuditRecord]:
    services = client.app.state.services  # type: ignore[attr-defined]
    # Failed sign-ins reach the ledger in aggregate when their window closes; close it now.
    flusher = FailedAuthFlusher(services.auth_failures, services.audit_writer)
    assert client.portal is not None
    client.portal.call(partial(flusher.flush, everything=True))
    with services.database.session() as session:
        query = select(AuditRecord).where(AuditRecord.event_type == "console.auth_failed")
        return list(session.scalars(query))


def test_valid_token_is_accepted(client: TestClient, idp: TestIdentityProvider) -> None:
    """The control: the same IdP's honest token signs in, so the refusals above are about the forgery."""
    response = client.get(ME, headers={"Authorization": f"Bearer {idp.token(['auditor'], tenants=['acme'])}"})
    assert response.status_code == 200, response.text
    assert response.json() == {
        "subject": "officer-1",
        "issuer": idp.issuer,
        "roles": ["auditor"],
        "tenants": ["acme"],
    }


def test_token_just_under_the_size_limit_is_accepted(client: TestClient, idp: TestIdentityProvider) -> None:
    token = idp.token(["auditor"], padding="x" * 5400)
    assert 7 * 1024 < len(token) <= 8 * 1024
    assert client.get(ME, headers={"Authorization": f"Bearer {token}"}).status_code == 200


def test_missing_token_is_refused(client: TestClient) -> None:
    response = client.get(ME)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "missing_token"
    assert [record.error_code for record in _auth_failures(client)] == ["missing_token"]
