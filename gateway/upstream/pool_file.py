"""The engine pools a gateway may route to, from ``BULWARK_UPSTREAMS_FILE`` (YAML)::

    pools:
      default: [{url: http://10.0.3.11:8001}, {url: http://10.0.3.12:8001}]
      gpu-large: [{url: https://vllm-0.engines.internal:8000}]
    routing: {load_bound: 1.25, prefix_chars: 512, health_interval_s: 2}   # optional

Any OpenAI-compatible server can be a member. Without a file there is one pool, ``default``, holding
``BULWARK_UPSTREAM_URL``. Every URL passes the egress allow-list here, at load time, so a gateway
configured to reach outside the premises never starts (the error names the URL).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from gateway.settings import Settings, SettingsError
from gateway.upstream.egress import EgressAllowList, EgressRefused

POOL_NAME_PATTERN = r"^[a-z0-9][a-z0-9._-]{0,62}$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ReplicaSpec(_Strict):
    url: Annotated[str, Field(min_length=1, max_length=2000)]


class RoutingOptions(_Strict):
    # A replica takes a request for its prefix only while its in-flight count stays under
    # load_bound × the pool's average (consistent hashing with bounded loads; 1.25 as in Mirrokni et al.).
    load_bound: Annotated[float, Field(ge=1.0, le=10.0)] = 1.25
    # Characters of the rendered prompt that form the affinity key (with the tenant id).
    prefix_chars: Annotated[int, Field(ge=16, le=65536)] = 512
    health_interval_s: Annotated[float, Field(gt=0, le=300)] = 2.0


class PoolFile(_Strict):
    pools: dict[
        Annotated[str, Field(pattern=POOL_NAME_PATTERN)], Annotated[list[ReplicaSpec], Field(min_length=1)]
    ]
    routing: RoutingOptions = RoutingOptions()


def load_pool_file(settings: Settings) -> PoolFile:
    """The configured pools, every URL already checked against the egress allow-list."""
    if settings.upstreams_file is None:
        pool_file = PoolFile(pools={"default": [ReplicaSpec(url=settings.upstream_url)]})
    else:
        pool_file = _read(settings.upstreams_file)
    allow = EgressAllowList(settings.egress_allow)
    try:
        for replicas in pool_file.pools.values():
            for replica in replicas:
                allow.check(replica.url)
    except EgressRefused as refused:
        raise SettingsError(f"BULWARK_UPSTREAMS_FILE: {refused}") from None
    return pool_file


def pool_names(settings: Settings) -> frozenset[str]:
    """What a policy's ``upstream`` may name."""
    if settings.upstreams_file is None:
        return frozenset({"default"})
    return frozenset(_read(settings.upstreams_file).pools)


def _read(path: Path) -> PoolFile:
    variable = "BULWARK_UPSTREAMS_FILE"
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise SettingsError(f"{variable}: cannot read {path} ({type(error).__name__})") from None
    try:
        pool_file = PoolFile.model_validate(raw)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise SettingsError(f"{variable}: {path} is invalid at {where}: {first['msg']}") from None
    if "default" not in pool_file.pools:
        raise SettingsError(
            f"{variable}: {path} must define the pool 'default' (policies use it unless told)"
        )
    return pool_file
