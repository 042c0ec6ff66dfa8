"""Which identity providers the console trusts, and with which algorithms.

Algorithms are pinned per issuer and only asymmetric ones are accepted: an HMAC algorithm would let anyone
holding the (public) verification key mint tokens, and ``none`` would need no key at all.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, model_validator

ASYMMETRIC_ALGORITHMS = frozenset(
    {"RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "PS256", "PS384", "PS512"}
)
DEFAULT_ALGORITHMS = ("RS256", "ES256")
LOCAL_ISSUER = "bulwark-local"


class IssuerConfig(BaseModel):
    """One trusted issuer: its ``iss`` value, where its JWKS lives and the algorithms it may sign with."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    issuer: str = Field(min_length=1)
    jwks_file: Path | None = None
    jwks_url: str | None = None
    algorithms: tuple[str, ...] = DEFAULT_ALGORITHMS
    # A token without a ``tenants`` claim sees no tenant, unless the site says this issuer's tokens are
    # site-wide when they name none (an IdP that only ever issues tokens to central compliance staff).
    all_tenants_without_claim: bool = False

    @model_validator(mode="after")
    def _one_key_source_and_safe_algorithms(self) -> IssuerConfig:
        if (self.jwks_file is None) == (self.jwks_url is None):
            raise ValueError(f"issuer {self.issuer!r}: set exactly one of jwks_file or jwks_url")
        unsafe = set(self.algorithms) - ASYMMETRIC_ALGORITHMS
        if unsafe or not self.algorithms:
            raise ValueError(
                f"issuer {self.issuer!r}: algorithms must be asymmetric ({', '.join(sorted(ASYMMETRIC_ALGORITHMS))})"
            )
        return self
