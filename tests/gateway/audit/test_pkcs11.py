"""A KEK held by an HSM: SoftHSM2 through the real PKCS#11 library. Wrapping happens inside the token,
the KEK is not extractable, a data key wrapped under a new KEK by one replica is unwrapped by another
that holds both, and ``rotate-kek`` moves every data key to the current KEK."""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pkcs11
import pytest
from pkcs11 import Attribute, KeyType, ObjectClass
from pkcs11.exceptions import AttributeSensitive
from sqlalchemy import select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from gateway.audit import crypto
from gateway.audit.kek_file import KekFile
from gateway.audit.key_provider import KeyProviderError
from gateway.audit.keyring import DataKeyRing, key_context
from gateway.audit.models import AuditDataKey
from gateway.audit.pkcs11_provider import Pkcs11KeyProvider, generate_kek, open_session
from gateway.audit.repository import read_body
from gateway.audit.rotation import rotate_kek
from gateway.audit.writer import AuditWriter
from gateway.cli.main import app
from gateway.db.session import Database
from tests.gateway.audit.conftest import request_event

SOFTHSM_MODULE = Path("/usr/lib/softhsm/libsofthsm2.so")
TOKEN = "bulwark-test"
PIN = "8642-test-pin"


@dataclass
class SoftHsm:
    module: Path
    token: str
    pin: str

    def provider(self, kek_label: str) -> Pkcs11KeyProvider:
        return Pkcs11KeyProvider(self.module, self.token, self.pin, kek_label)

    def new_kek(self, label: str) -> Pkcs11KeyProvider:
        """The operator's first step (``bulwark audit new-kek``): the token generates the KEK."""
        session = open_session(self.module, self.token, self.pin)
        try:
            generate_kek(session, label)
        finally:
            session.close()
        return self.provider(label)


@pytest.fixture(scope="session")
def softhsm(tmp_path_factory: pytest.TempPathFactory) -> SoftHsm:
    """A fresh token in its own SOFTHSM2_CONF, so the tests touch no system token. One per session: the
    library reads its configuration once per process, at its first initialisation."""
    if shutil.which("softhsm2-util") is None or not SOFTHSM_MODULE.exists():
        pytest.fail("SoftHSM2 is missing: `make test` installs it (apt-get install softhsm2)")
    tmp_path = tmp_path_factory.mktemp("softhsm")
    tokens = tmp_path / "tokens"
    tokens.mkdir()
    conf = tmp_path / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {tokens}\nobjectstore.backend = file\nlog.level = ERROR\n")
    os.environ["SOFTHSM2_CONF"] = str(conf)
    subprocess.run(
        ["softhsm2-util", "--init-token", "--free", "--label", TOKEN, "--so-pin", "0000", "--pin", PIN],
        check=True,
        capture_output=True,
    )
    return SoftHsm(SOFTHSM_MODULE, TOKEN, PIN)


def test_wrap_and_unwrap_happen_in_the_token_and_the_kek_never_leaves_it(softhsm: SoftHsm) -> None:
    bootstrap = softhsm.new_kek("kek-2026-12")
    data_key = crypto.new_key()
    context = key_context("dk_1", "acme")
    kek_id, wrapped = bootstrap.wrap(data_key, context)
    assert kek_id == "kek-2026-12" and data_key not in wrapped
    assert bootstrap.unwrap(kek_id, wrapped, context) == data_key
    with pytest.raises(KeyProviderError, match="refused to unwrap"):
        bootstrap.unwrap(kek_id, wrapped, key_context("dk_1", "globex"))  # copied to another tenant
    with pytest.raises(KeyProviderError, match="not in the PKCS#11 token"):
        bootstrap.unwrap("kek-unknown", wrapped, context)
    bootstrap.close()
    # The KEK is a sensitive, non-extractable token object: its value cannot be read out.
    token = pkcs11.lib(str(softhsm.module)).get_token(token_label=softhsm.token)
    with token.open(user_pin=softhsm.pin) as session:
        kek = session.get_key(ObjectClass.SECRET_KEY, KeyType.AES, label="kek-2026-12")
        assert kek[Attribute.EXTRACTABLE] is False and kek[Attribute.SENSITIVE] is True
        with pytest.raises(AttributeSensitive):
            kek[Attribute.VALUE]


def test_refuses_a_wrong_pin_or_a_missing_kek(softhsm: SoftHsm) -> None:
    with pytest.raises(KeyProviderError, match="cannot open the PKCS#11 token"):
        Pkcs11KeyProvider(softhsm.module, softhsm.token, "wrong-pin", "kek-1")
    with pytest.raises(KeyProviderError, match="not in the PKCS#11 token"):
        softhsm.provider("kek-never-made")


def test_rotation_across_two_replicas_sharing_the_token(softhsm: SoftHsm, database: Database) -> None:
    """Replica A moves to a new KEK first; replica B, still configured with the old one, reads A's data
    keys because the token holds both; rotate-kek then leaves no data key under the old KEK."""
    old, new = f"kek-old-{secrets.token_hex(4)}", f"kek-new-{secrets.token_hex(4)}"
    softhsm.new_kek(old).close()
    replica_b = softhsm.provider(old)
    writer_b = AuditWriter(database, DataKeyRing(replica_b))
    writer_b.write(request_event("acme", 1))  # a data key for acme under the old KEK
    new_label = replica_b.create_kek(new)
    replica_a = softhsm.provider(new_label)
    ring_a = DataKeyRing(replica_a)
    writer_a = AuditWriter(database, ring_a)
    writer_a.write(request_event("globex", 2))  # globex's first data key: wrapped under the new KEK
    ring_b = DataKeyRing(replica_b)
    with database.session() as session:
        assert _kek_of(session, "globex") == new and _kek_of(session, "acme") == old
        assert read_body(session, ring_b, "globex", 2)["request"]["messages"][0]["content"] == "hello 2"
    result = rotate_kek(database, replica_a, "test")
    assert result.old_kek_ids == (old,) and result.new_kek_id == new
    assert result.keys_rewrapped == 1
    cold = DataKeyRing(softhsm.provider(new))
    with database.session() as session:
        assert _kek_of(session, "acme") == new
        assert read_body(session, cold, "acme", 1)["request"]["messages"][0]["content"] == "hello 1"
    for writer in (writer_a, writer_b):
        writer.close()


def _kek_of(session: Session, tenant: str) -> str:
    return str(session.scalars(select(AuditDataKey.kek_id).where(AuditDataKey.tenant_id == tenant)).one())


def test_new_kek_cli_creates_it_in_the_token_or_a_ring_file(
    softhsm: SoftHsm, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ring = tmp_path / "audit-kek.json"
    runner = CliRunner()
    first = runner.invoke(app, ["audit", "new-kek", "--ring", str(ring)])
    second = runner.invoke(app, ["audit", "new-kek", "--ring", str(ring)])
    assert first.exit_code == 0 and second.exit_code == 0, first.output + second.output
    assert len(KekFile(ring).kek_ids()) == 2 and KekFile(ring).current_kek_id() in second.output
    assert ring.stat().st_mode & 0o777 == 0o600
    for name, value in {
        "HOME": str(tmp_path / "home"),
        "DEV_MODE": "1",
        "KEK_PROVIDER": "pkcs11",
        "PKCS11_MODULE": str(softhsm.module),
        "PKCS11_TOKEN_LABEL": softhsm.token,
        "PKCS11_PIN": softhsm.pin,
        "PKCS11_KEK_LABEL": "unused-here",
    }.items():
        monkeypatch.setenv(f"BULWARK_{name}", value)
    label = f"kek-cli-{secrets.token_hex(4)}"
    created = runner.invoke(app, ["audit", "new-kek", "--label", label])
    assert created.exit_code == 0, created.output
    assert f"BULWARK_PKCS11_KEK_LABEL={label}" in " ".join(created.output.split())
    assert softhsm.provider(label).current_kek_id() == label
    again = runner.invoke(app, ["audit", "new-kek", "--label", label])
    assert again.exit_code == 1 and "already holds" in again.output
