from __future__ import annotations

import stat
from pathlib import Path

import pytest

from gateway.audit.new_kek import add_to_ring
from gateway.secret_files import KEK_FILE, SIGNING_KEY_FILE
from gateway.settings import SettingsError, load_settings
from tests.secrets_dir import snapshot, write_secrets_dir


def test_refuses_to_start_without_secrets_naming_the_variable(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="BULWARK_KEY_PEPPER"):
        load_settings(home=tmp_path / "home")


def test_refuses_a_well_known_or_short_secret(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="BULWARK_KEY_PEPPER"):
        load_settings(home=tmp_path / "home", key_pepper="changeme", tenant_secret="x" * 40)
    with pytest.raises(SettingsError, match="BULWARK_TENANT_SECRET"):
        load_settings(home=tmp_path / "home", key_pepper="k" * 40, tenant_secret="short")


def test_dev_mode_generates_owner_only_secrets_once(tmp_path: Path) -> None:
    home = tmp_path / "home"
    first = load_settings(home=home, dev_mode=True)
    second = load_settings(home=home, dev_mode=True)
    assert first.secret("key_pepper") == second.secret("key_pepper")
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    for secret_file in (home / "secrets").iterdir():
        assert stat.S_IMODE(secret_file.stat().st_mode) == 0o600


def test_production_reads_mounted_secret_files_but_never_creates_one(tmp_path: Path) -> None:
    mounted = write_secrets_dir(tmp_path / "mounted")
    before = snapshot(tmp_path)
    settings = load_settings(home=tmp_path / "home", secrets_dir=mounted)
    assert settings.secret("tenant_secret") == (mounted / "tenant_secret").read_bytes()
    with pytest.raises(SettingsError):
        load_settings(home=tmp_path / "other")
    assert snapshot(tmp_path) == before  # nothing written, not even an empty secrets folder
    assert not (tmp_path / "other" / "secrets").exists()


def test_refuses_to_start_without_a_kek_naming_the_variable(tmp_path: Path) -> None:
    mounted = write_secrets_dir(tmp_path / "mounted", with_kek=False)
    before = snapshot(tmp_path)
    with pytest.raises(
        SettingsError, match=r"audit-kek\.json is missing from BULWARK_SECRETS_DIR"
    ) as refused:
        load_settings(home=tmp_path / "home", secrets_dir=mounted)
    assert "BULWARK_KEK_PROVIDER" in str(refused.value)
    (mounted / SIGNING_KEY_FILE).unlink()
    add_to_ring(mounted / KEK_FILE)
    with pytest.raises(SettingsError, match=r"audit-signing\.pem is missing"):
        load_settings(home=tmp_path / "home", secrets_dir=mounted)
    with pytest.raises(SettingsError, match="BULWARK_PKCS11_MODULE"):
        load_settings(home=tmp_path / "home", secrets_dir=mounted, kek_provider="pkcs11")
    del before[f"mounted/{SIGNING_KEY_FILE}"]
    assert set(snapshot(tmp_path)) == {*before, f"mounted/{KEK_FILE}"}  # only what the test itself wrote
