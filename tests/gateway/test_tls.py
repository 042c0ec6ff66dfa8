"""TLS on every hop and an engine that answers only the gateway (issue 13, finding 1).

Real processes: the engine (`python -m engine serve`) with HTTPS, a required client certificate and a
bearer token, and the gateway (`bulwark serve --ssl-certfile/--ssl-keyfile`) verifying it against a
throwaway site CA; the official openai client calls the gateway over HTTPS.
"""

from __future__ import annotations

import os
import secrets
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import openai
import pytest

from gateway.cli.context import migrated_database
from gateway.settings import load_settings
from gateway.tenants import service as tenant_service
from tests.servers import DEFAULT_MODEL, MODEL_CACHE, TEST_POLICY_DIR, free_port, running_gateway
from tests.tls_certs import CertPair, ThrowawayCa

pytestmark = pytest.mark.slow


@dataclass(frozen=True)
class Pki:
    ca: Path
    engine: CertPair
    gateway_server: CertPair
    gateway_client: CertPair
    stranger_ca: Path  # a CA the site does not trust
    token_file: Path

    @property
    def token(self) -> str:
        return self.token_file.read_text().strip()


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    directory = tmp_path_factory.mktemp("pki")
    site = ThrowawayCa(directory)
    stranger = ThrowawayCa(directory, "Stranger CA")
    token_file = directory / "engine-token"
    token_file.write_text(secrets.token_urlsafe(32))
    token_file.chmod(0o600)
    return Pki(
        ca=site.cert_path,
        engine=site.issue("engine", server=True),
        gateway_server=site.issue("gateway", server=True),
        gateway_client=site.issue("gateway-client", server=False),
        stranger_ca=stranger.cert_path,
        token_file=token_file,
    )


def _client_context(pki: Pki, *, with_cert: bool) -> ssl.SSLContext:
    context = ssl.create_default_context(cafile=str(pki.ca))
    if with_cert:
        context.load_cert_chain(str(pki.gateway_client.cert), str(pki.gateway_client.key))
    return context


def _env_without_dev_mode() -> dict[str, str]:
    return {name: value for name, value in os.environ.items() if not name.startswith("BULWARK_")}


def _wait_until(ready: object, process: subprocess.Popen[bytes], timeout_s: float = 300) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"process exited with {process.returncode}")
        try:
            if ready():  # type: ignore[operator]
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise RuntimeError("not ready in time")


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture(scope="module")
def tls_engine(pki: Pki, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = free_port()
    command = [
        sys.executable, "-m", "engine", "serve", "--model", DEFAULT_MODEL, "--model-cache", str(MODEL_CACHE),
        "--host", "127.0.0.1", "--port", str(port), "--kv-cache-gb", "0.25",
        "--ssl-certfile", str(pki.engine.cert), "--ssl-keyfile", str(pki.engine.key),
        "--ssl-ca-certs", str(pki.ca), "--auth-token-file", str(pki.token_file),
    ]  # fmt: skip
    log = open(tmp_path_factory.mktemp("engine-tls") / "engine.log", "wb")  # noqa: SIM115
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=_env_without_dev_mode())
    url = f"https://127.0.0.1:{port}"
    context = _client_context(pki, with_cert=True)
    try:
        _wait_until(lambda: httpx.get(f"{url}/health", verify=context).status_code == 200, process)
        yield url
    finally:
        _stop(process)
        log.close()


def test_engine_refuses_to_start_open_outside_dev_mode() -> None:
    command = [sys.executable, "-m", "engine", "serve", "--port", str(free_port())]
    finished = subprocess.run(command, capture_output=True, env=_env_without_dev_mode(), timeout=120)
    assert finished.returncode != 0
    assert b"--auth-token-file" in finished.stderr


def test_engine_refuses_clients_without_certificate_or_token(pki: Pki, tls_engine: str) -> None:
    with pytest.raises(httpx.TransportError):  # the TLS handshake fails: no client certificate
        httpx.get(f"{tls_engine}/v1/models", verify=_client_context(pki, with_cert=False))
    with_cert = _client_context(pki, with_cert=True)
    assert httpx.get(f"{tls_engine}/v1/models", verify=with_cert).status_code == 401
    wrong = {"Authorization": "Bearer " + secrets.token_urlsafe(32)}
    assert httpx.get(f"{tls_engine}/v1/models", verify=with_cert, headers=wrong).status_code == 401
    right = {"Authorization": f"Bearer {pki.token}"}
    assert httpx.get(f"{tls_engine}/v1/models", verify=with_cert, headers=right).status_code == 200


def _upstream_env(pki: Pki, engine_url: str, home: Path) -> dict[str, str]:
    return _env_without_dev_mode() | {
        "BULWARK_HOME": str(home),
        "BULWARK_DEV_MODE": "1",  # generated secrets; the TLS settings are the production ones
        "BULWARK_POLICY_DIR": str(TEST_POLICY_DIR),
        "BULWARK_UPSTREAM_URL": engine_url,
        "BULWARK_UPSTREAM_CA_FILE": str(pki.ca),
        "BULWARK_UPSTREAM_CLIENT_CERTFILE": str(pki.gateway_client.cert),
        "BULWARK_UPSTREAM_CLIENT_KEYFILE": str(pki.gateway_client.key),
        "BULWARK_UPSTREAM_TOKEN": pki.token,
    }


def test_gateway_serves_https_and_reaches_engine_over_mutual_tls(
    pki: Pki, tls_engine: str, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    settings = load_settings(home=home, dev_mode=True, policy_dir=TEST_POLICY_DIR)
    database = migrated_database(settings)
    with database.session() as session:
        key = tenant_service.create_key(session, settings.secret("key_pepper"), "acme", name="tls").key
    database.dispose()
    port = free_port()
    command = [
        sys.executable, "-m", "gateway.cli.main", "serve", "--host", "127.0.0.1", "--port", str(port),
        "--ssl-certfile", str(pki.gateway_server.cert), "--ssl-keyfile", str(pki.gateway_server.key),
    ]  # fmt: skip
    env = _upstream_env(pki, tls_engine, home)
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"https://127.0.0.1:{port}"
    try:
        _wait_until(
            lambda: (
                httpx.get(f"{base}/healthz", verify=_client_context(pki, with_cert=False)).status_code == 200
            ),
            process,
        )
        with pytest.raises(httpx.HTTPError):  # no plain HTTP on the TLS port
            httpx.get(f"http://127.0.0.1:{port}/healthz")
        client = openai.OpenAI(
            base_url=f"{base}/v1",
            api_key=key,
            max_retries=0,
            http_client=openai.DefaultHttpxClient(verify=_client_context(pki, with_cert=False)),
        )
        reply = client.chat.completions.create(
            model=DEFAULT_MODEL, messages=[{"role": "user", "content": "Say hi."}], max_tokens=4
        )
        assert reply.choices[0].message.content is not None
    finally:
        _stop(process)


def test_gateway_refuses_an_engine_the_site_ca_did_not_sign(
    pki: Pki, tls_engine: str, tmp_path: Path
) -> None:
    overrides = {
        "upstream_ca_file": pki.stranger_ca,
        "upstream_client_certfile": pki.gateway_client.cert,
        "upstream_client_keyfile": pki.gateway_client.key,
        "upstream_token": pki.token,
    }
    with running_gateway(tmp_path / "home", tls_engine, **overrides) as gateway:
        client = openai.OpenAI(base_url=f"{gateway.base_url}/v1", api_key=gateway.create_key(), max_retries=0)
        with pytest.raises(openai.APIStatusError) as refused:
            client.chat.completions.create(
                model=DEFAULT_MODEL, messages=[{"role": "user", "content": "Say hi."}], max_tokens=4
            )
        assert refused.value.status_code == 502
        assert "certificate" not in refused.value.message.lower()  # no internals in the error body
