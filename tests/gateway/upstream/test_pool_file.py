"""The pool file and the egress allow-list: checked when the file is loaded, before any connection."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from gateway.app import create_app
from gateway.settings import Settings, SettingsError
from gateway.upstream.egress import EgressAllowList, EgressRefused
from gateway.upstream.pool_file import load_pool_file, pool_names


def settings_for(tmp_path: Path, pools_yaml: str | None, **overrides: object) -> Settings:
    path = None
    if pools_yaml is not None:
        path = tmp_path / "upstreams.yaml"
        path.write_text(pools_yaml, encoding="utf-8")
    return Settings(home=tmp_path / "home", upstreams_file=path, **overrides)  # type: ignore[arg-type]


def test_pools_load_and_name_what_policies_may_use(tmp_path: Path) -> None:
    settings = settings_for(
        tmp_path,
        "pools:\n  default: [{url: http://127.0.0.1:8001}, {url: 'http://10.2.0.7:8000'}]\n"
        "  gpu: [{url: 'http://[fd00::12]:8000'}]\nrouting: {load_bound: 1.5}\n",
    )
    pool_file = load_pool_file(settings)
    assert [spec.url for spec in pool_file.pools["default"]] == [
        "http://127.0.0.1:8001",
        "http://10.2.0.7:8000",
    ]
    assert pool_file.routing.load_bound == 1.5
    assert pool_names(settings) == {"default", "gpu"}


def test_without_a_file_the_default_pool_is_the_upstream_url(tmp_path: Path) -> None:
    settings = settings_for(tmp_path, None, upstream_url="http://127.0.0.1:8123")
    assert [spec.url for spec in load_pool_file(settings).pools["default"]] == ["http://127.0.0.1:8123"]


def test_a_pool_file_with_a_public_address_is_refused_at_load_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Any connection attempt during start-up would be a failure of the check itself.
    def no_connections(*_: object, **__: object) -> None:
        raise AssertionError("a connection was attempted before the egress check")

    monkeypatch.setattr(socket.socket, "connect", no_connections)
    monkeypatch.setattr(socket, "getaddrinfo", no_connections)
    settings = settings_for(
        tmp_path, "pools:\n  default: [{url: http://127.0.0.1:8001}, {url: 'https://8.8.8.8/v1'}]\n"
    )
    with pytest.raises(SettingsError, match=r"BULWARK_UPSTREAMS_FILE.*'https://8\.8\.8\.8/v1'"):
        create_app(settings)


def test_a_host_name_must_be_listed_and_is_not_resolved(tmp_path: Path) -> None:
    pools = "pools:\n  default: [{url: 'http://vllm.engines.internal:8000'}]\n"
    with pytest.raises(SettingsError, match=r"vllm\.engines\.internal.*BULWARK_EGRESS_ALLOW"):
        load_pool_file(settings_for(tmp_path, pools))
    for entry in ("vllm.engines.internal", ".engines.internal"):
        allowed = settings_for(tmp_path, pools, egress_allow=[entry])
        assert load_pool_file(allowed).pools["default"][0].url == "http://vllm.engines.internal:8000"
    with pytest.raises(SettingsError):
        load_pool_file(settings_for(tmp_path, pools, egress_allow=[".internal.evil.com"]))


def test_egress_allow_is_read_comma_separated_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BULWARK_EGRESS_ALLOW", "gpu-a.internal, 203.0.113.0/24")
    settings = settings_for(tmp_path, "pools:\n  default: [{url: 'http://203.0.113.9:8000'}]\n")
    assert settings.egress_allow == ["gpu-a.internal", "203.0.113.0/24"]
    assert load_pool_file(settings).pools["default"][0].url == "http://203.0.113.9:8000"


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest",  # link-local: cloud metadata
        "http://0.0.0.0:8000",
        "http://1.1.1.1:8000",
        "http://[2606:4700::1111]:8000",
        "ftp://127.0.0.1/",
        "http://user:pw@127.0.0.1:8000",
    ],
)
def test_refused_upstreams(url: str) -> None:
    with pytest.raises(EgressRefused):
        EgressAllowList().check(url)


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:8001", "http://localhost:8001", "http://192.168.1.5", "https://[::1]:8443"]
)
def test_on_premises_upstreams(url: str) -> None:
    assert EgressAllowList().check(url) == url


@pytest.mark.parametrize(
    ("pools_yaml", "message"),
    [
        ("pools:\n  gpu: [{url: http://127.0.0.1:8001}]\n", "must define the pool 'default'"),
        ("pools:\n  default: []\n", "invalid at pools.default"),
        (
            "pools:\n  default: [{url: http://127.0.0.1:8001, weight: 2}]\n",
            "invalid at pools.default.0.weight",
        ),
        ("pools: [\n", "cannot read"),
    ],
)
def test_bad_pool_files_name_the_problem(tmp_path: Path, pools_yaml: str, message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        load_pool_file(settings_for(tmp_path, pools_yaml))
