"""Two gateway replicas as real OS processes on one PostgreSQL and one Redis, in production mode: keys
come from mounted secret files that neither process may create. The engine is a stub HTTP server (the
transport seam): this test is about state the replicas share, not inference.

- a data key wrapped by replica A under a new KEK is unwrapped by replica B, which holds both versions;
- a key revoked through A is refused by B within 2 s;
- a policy edit made through A's /admin/policies is enforced by B within 2 s (B's file watcher is off,
  so only the database signal can carry it, as on a network volume);
- every audit record both wrote decrypts, and ``bulwark audit verify`` passes over the whole ledger.
"""

from __future__ import annotations

import secrets
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from gateway.audit.kek_file import KekFile, kek_ring_json
from gateway.audit.keyring import DataKeyRing
from gateway.audit.models import AuditCheckpoint, AuditDataKey, AuditRecord
from gateway.audit.repository import read_body
from gateway.auth.principal import Role
from gateway.auth.tokens import issue_local_token
from gateway.db import migrate
from gateway.db.session import Database
from gateway.secret_files import KEK_FILE
from gateway.settings import Settings, load_settings
from gateway.tenants import service as tenant_service
from tests.gateway.audit.test_kill import MODEL, stub_engine
from tests.gateway.policy.policy_files import tenant_yaml, write_policy
from tests.gateway.replicas.replica_process import replicas
from tests.secrets_dir import snapshot, write_secrets_dir
from tests.servers import REPO

PROPAGATION_LIMIT_S = 2.0
OPEN_PII = "pii:\n  entities:\n    LOCATION: {request: allow, response: allow}\n"


@dataclass
class Site:
    settings: Settings  # what the operator's CLI sees (replica A's secrets)
    database: Database
    mounted: dict[str, Path]  # replica name -> its mounted secrets directory
    policies: Path

    def set_kek_ring(self, replica: str, current: str, keys: dict[str, bytes]) -> None:
        (self.mounted[replica] / KEK_FILE).write_text(kek_ring_json(current, keys))

    def key_files(self) -> dict[str, bytes]:
        """Every key file either replica could have written: the mounts and the home's secrets."""
        folders = {**self.mounted, "home": self.settings.home / "secrets"}
        return {
            f"{name}/{file}": data for name, root in folders.items() for file, data in snapshot(root).items()
        }


@pytest.fixture
def site(tmp_path: Path, postgres_url: str) -> Iterator[Site]:
    mounted_a = write_secrets_dir(tmp_path / "secrets-a")
    mounted_b = tmp_path / "secrets-b"
    shutil.copytree(mounted_a, mounted_b)  # one Secret, mounted by both replicas
    policies = tmp_path / "policies"
    for tenant in ("acme", "globex"):
        write_policy(policies, f"tenants/{tenant}.yaml", tenant_yaml(tenant, OPEN_PII))
    migrate.upgrade(postgres_url)
    settings = load_settings(
        home=tmp_path / "home", secrets_dir=mounted_a, database_url=postgres_url, jwt_local_issuer=True
    )
    database = Database(postgres_url)
    yield Site(settings, database, {"a": mounted_a, "b": mounted_b}, policies)
    database.dispose()


def _chat(base_url: str, key: str, max_tokens: int = 16) -> httpx.Response:
    return httpx.post(
        f"{base_url}/v1/chat/completions",
        headers={"Authorization": f"Bearer {key}"},
        json={"model": MODEL, "messages": [{"role": "user", "content": "hello"}], "max_tokens": max_tokens},
        timeout=30,
    )


def _until(condition: Callable[[], bool], limit_s: float = PROPAGATION_LIMIT_S) -> float:
    """Seconds until ``condition`` held; fails once ``limit_s`` passed."""
    started = time.monotonic()
    while not condition():
        assert time.monotonic() - started < limit_s, f"not seen within {limit_s} s"
        time.sleep(0.05)
    return time.monotonic() - started


@pytest.mark.slow
@pytest.mark.postgres
def test_two_replicas_share_keys_revocations_policies_and_one_ledger(site: Site, tmp_path: Path) -> None:
    pepper = site.settings.secret("key_pepper")
    with site.database.session() as session:
        acme = tenant_service.create_key(session, pepper, "acme", scopes=frozenset({"inference"}))
        admin = tenant_service.create_key(session, pepper, "acme", scopes=frozenset({"inference", "admin"}))
        globex = tenant_service.create_key(session, pepper, "globex").key
    console_token = issue_local_token(site.settings, "admin-1", [Role.ADMIN])
    (old_kek,) = KekFile(site.mounted["a"] / KEK_FILE).kek_ids()
    common = {
        "home": str(site.settings.home),  # shared: the local console-token key lives there (made above)
        "database_url": site.database.url,
        "redis_url": "redis://127.0.0.1:6379/0",
        "redis_prefix": f"bulwark-test-{secrets.token_hex(4)}:",
        "policy_dir": str(site.policies),
        "jwt_local_issuer": "1",
        "audit_checkpoint_every_s": "0.5",
    }
    with ExitStack() as stack:
        common["upstream_url"] = stack.enter_context(stub_engine())
        a_settings = {**common, "secrets_dir": str(site.mounted["a"])}
        b_settings = {**common, "secrets_dir": str(site.mounted["b"]), "policy_watch": "0"}
        urls = stack.enter_context(replicas(tmp_path, {"a": a_settings, "b": b_settings}))
        a, b = urls["a"], urls["b"]
        assert _chat(a, acme.key).status_code == 200  # acme's data key: wrapped by A under the old KEK
        assert _chat(b, acme.key).status_code == 200

        # KEK rotation rolling out: A already uses the new KEK, B (old one current) holds both.
        ring = KekFile(site.mounted["a"] / KEK_FILE).ring()[1]
        new_kek = f"kek_{secrets.token_hex(8)}"
        keys = {**ring, new_kek: secrets.token_bytes(32)}
        site.set_kek_ring("a", new_kek, keys)
        site.set_kek_ring("b", old_kek, keys)
        key_files = site.key_files()  # from here on the operator writes nothing
        assert _chat(a, globex).status_code == 200  # globex's first data key: wrapped by A, new KEK
        assert _chat(b, globex).status_code == 200  # B unwraps it to encrypt its own record
        with site.database.session() as session:
            rows = session.execute(select(AuditDataKey.tenant_id, AuditDataKey.kek_id))
            kek_of = {row.tenant_id: row.kek_id for row in rows}
        assert kek_of["globex"] == new_kek and kek_of["acme"] == old_kek

        # Revoked through A (console API), refused by B.
        revoked = httpx.post(
            f"{a}/console/api/keys/{acme.record.id}/revoke",
            headers={"Authorization": f"Bearer {console_token}"},
            timeout=30,
        )
        assert revoked.status_code == 200, revoked.text
        revocation_s = _until(lambda: _chat(b, acme.key).status_code == 401)

        # A policy edit through A's admin API, enforced by B.
        assert _chat(b, admin.key, max_tokens=16).status_code == 200
        edited = httpx.put(
            f"{a}/admin/policies/acme",
            headers={"Authorization": f"Bearer {admin.key}", "Content-Type": "application/yaml"},
            content=tenant_yaml("acme", OPEN_PII + "tokens: {max_tokens: 4}\n"),
            timeout=30,
        )
        assert edited.status_code == 200, edited.text
        policy_s = _until(lambda: _chat(b, admin.key, max_tokens=16).status_code == 400)
    # Both stopped cleanly (each signs its tail). Neither wrote or changed a key file.
    assert site.key_files() == key_files
    _assert_every_body_decrypts(site, KekFile(site.mounted["a"] / KEK_FILE))
    with site.database.session() as session:
        signers = set(session.scalars(select(AuditCheckpoint.key_id)))
    assert len(signers) == 1  # one site key id, whichever replica signed
    verified = _verify_cli(site)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    print(f"revocation seen by B after {revocation_s:.2f} s, policy edit after {policy_s:.2f} s")


def _assert_every_body_decrypts(site: Site, provider: KekFile) -> None:
    ring = DataKeyRing(provider)
    with site.database.session() as session:
        requests = session.execute(
            select(AuditRecord.seq, AuditRecord.tenant_id).where(
                AuditRecord.event_type == "request", AuditRecord.data_key_id.is_not(None)
            )
        ).all()
        # A revoked key's refusal is recorded in aggregate (no body); the served requests all have one.
        assert len(requests) >= 5
        for seq, tenant in requests:
            assert tenant is not None
            assert read_body(session, ring, tenant, seq)  # raises if it does not decrypt


def _verify_cli(site: Site) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": str(REPO),
        "BULWARK_HOME": str(site.settings.home),
        "BULWARK_SECRETS_DIR": str(site.mounted["a"]),
        "BULWARK_DATABASE_URL": site.database.url,
    }
    return subprocess.run(
        [sys.executable, "-m", "gateway.cli.main", "audit", "verify"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
