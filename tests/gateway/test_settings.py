from __future__ import annotations

import stat
from pathlib import Path

import pytest

from gateway.settings import SettingsError, load_settings


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


def test_production_reads_a_mounted_secret_file_but_never_creates_one(tmp_path: Path) -> None:
    home = tmp_path / "home"
    load_settings(home=home, dev_mode=True)
    assert load_settings(home=home).secret("tenant_secret")
    with pytest.raises(SettingsError):
        load_settings(home=tmp_path / "other")
    assert not (tmp_path / "other" / "secrets" / "key_pepper").exists()
