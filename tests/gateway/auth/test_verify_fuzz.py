"""Whatever bytes arrive as a token, the verifier refuses them with TokenRejected (a 401), never crashes."""

from __future__ import annotations

import base64
import json

import anyio
from hypothesis import given, settings
from hypothesis import strategies as st

from gateway.auth.jwks import StaticKeys
from gateway.auth.verify import TokenRejected, TokenVerifier, TrustedIssuer
from tests.gateway.auth.idp import RsaKey

KEY = RsaKey.generate("fuzz-key")
VERIFIER = TokenVerifier([TrustedIssuer("issuer", ("RS256",), StaticKeys([KEY.public_jwk()]))], "aud")
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3)
    ),
    max_leaves=8,
)
HEADERS = st.fixed_dictionaries(
    {}, optional={"alg": st.sampled_from(["RS256", "none", "HS256"]) | JSON, "kid": JSON}
)
CLAIMS = st.fixed_dictionaries(
    {},
    optional={
        "iss": st.just("issuer") | JSON,
        "aud": JSON,
        "exp": JSON,
        "nbf": JSON,
        "sub": JSON,
        "roles": JSON,
    },
)


def _segment(value: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


def _refused(token: str) -> bool:
    try:
        anyio.run(VERIFIER.verify, token)
    except TokenRejected:
        return True
    return False


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
def test_arbitrary_text_is_refused(token: str) -> None:
    assert _refused(token)


@settings(max_examples=150, deadline=None)
@given(HEADERS | JSON, CLAIMS | JSON, st.binary(max_size=64))
def test_structured_garbage_is_refused(header: object, claims: object, signature: bytes) -> None:
    token = ".".join(
        [_segment(header), _segment(claims), base64.urlsafe_b64encode(signature).decode().rstrip("=")]
    )
    assert _refused(token)
