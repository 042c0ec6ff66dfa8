"""Issue 10, done when: two gateway processes (PostgreSQL, Redis, one shared BULWARK_HOME for the dev
secrets and KEK) in front of three real engine processes on loopback.

- Shared-prefix requests of one tenant land on one replica (the engines' cached-token counts prove it);
  two tenants' prompts with the same prefix never share cache.
- 200 requests from 8 concurrent clients of 2 tenants; one engine is SIGKILLed mid-run and restarted:
  no request fails that had not started streaming; the pool marks it down and takes it back.
- Audit records written by both gateways decrypt, and ``bulwark audit verify`` passes over the ledger.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import secrets
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import openai
import pytest
from openai.types.chat import ChatCompletionMessageParam
from sqlalchemy import select

from gateway.audit.components import key_ring
from gateway.audit.models import AuditRecord
from gateway.audit.repository import read_body
from gateway.db.session import Database
from gateway.settings import Settings, load_settings
from tests.gateway.upstream.fleet import (
    Engine,
    gateway_processes,
    prepare_site,
    running_engines,
    write_policies,
    write_pool_file,
)
from tests.servers import DEFAULT_MODEL, REPO

# Five processes and 200+ requests: minutes on a loaded 2-core machine, hence the longer limit.
pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.redis, pytest.mark.timeout(3600)]
SYSTEM = (
    "You are the records assistant of the Northfield clinic network. Answer in one short sentence, in plain "
    "English, without abbreviations. Never guess: if the answer is not in the question, say that you do "
    "not know. Keep a neutral tone. Do not repeat the question. Do not add greetings or sign-offs. Prefer "
    "everyday words to technical ones, and numbers to words when you give a quantity. "
)
QUESTIONS = [
    f"Question {i}: what colour is a clear sky at noon, and why is it number {i}?" for i in range(40)
]
TOTAL, WORKERS = 200, 8


@dataclass
class Site:
    gateways: list[str]
    engines: list[Engine]
    keys: dict[str, str]
    settings: Settings
    logs: Path


@pytest.fixture
def site(tmp_path: Path, postgres_url: str) -> Iterator[Site]:
    logs = tmp_path / "logs"
    logs.mkdir()
    with ExitStack() as stack:
        engines = stack.enter_context(running_engines(logs, 3))
        urls = [engine.url for engine in engines]
        pools = write_pool_file(tmp_path / "upstreams.yaml", {"default": urls, "solo": urls[:1]})
        tenants = {"acme": "default", "globex": "default", "solo-a": "solo", "solo-b": "solo"}
        policies = write_policies(tmp_path / "policies", tenants)
        env = {
            "database_url": postgres_url,
            "redis_url": "redis://127.0.0.1:6379/0",
            "redis_prefix": f"bulwark-pool-test-{secrets.token_hex(4)}:",
            "upstreams_file": str(pools),
            "policy_dir": str(policies),
            "policy_watch": "0",
        }
        home = tmp_path / "home"  # both gateways mount the same secrets (pepper, tenant secret, KEK)
        settings = load_settings(home=home, dev_mode=True, **env)
        keys = prepare_site(settings, list(tenants))
        gateways = stack.enter_context(gateway_processes(home, logs, 2, **env))
        yield Site(gateways, engines, keys, settings, logs)


def client(site: Site, tenant: str, gateway: int) -> openai.AsyncOpenAI:
    return openai.AsyncOpenAI(
        base_url=f"{site.gateways[gateway]}/v1", api_key=site.keys[tenant], max_retries=0, timeout=300
    )


async def cached_tokens(api: openai.AsyncOpenAI, question: str, request_id: str) -> int:
    answer = await api.chat.completions.create(
        model=DEFAULT_MODEL,
        messages=[{"role": "system", "content": SYSTEM}, {"role": "user", "content": question}],
        max_tokens=2,
        extra_headers={"x-request-id": request_id},
    )
    assert answer.usage is not None and answer.usage.prompt_tokens_details is not None
    return answer.usage.prompt_tokens_details.cached_tokens or 0


async def check_affinity_and_isolation(site: Site) -> Engine:
    before = [engine.cached_prompt_tokens() for engine in site.engines]
    acme = [client(site, "acme", i % 2) for i in range(2)]
    counts = [await cached_tokens(acme[i % 2], QUESTIONS[i], f"gw{i % 2}-affinity-{i}") for i in range(6)]
    # First request warms one engine; every later one, through either gateway, hits its cache.
    assert counts[0] == 0 and all(count >= 48 for count in counts[1:]), counts
    grown = [
        engine
        for engine, old in zip(site.engines, before, strict=True)
        if engine.cached_prompt_tokens() > old
    ]
    assert len(grown) == 1, "one tenant's shared-prefix requests were spread over several engines"
    # Another tenant, same system prompt: no cache of acme's can serve it.
    assert await cached_tokens(client(site, "globex", 0), QUESTIONS[0], "gw0-isolation-0") == 0
    # Same engine for sure (pool "solo"): tenant b never hits tenant a's cache, only its own.
    solo_a, solo_b = client(site, "solo-a", 0), client(site, "solo-b", 1)
    assert await cached_tokens(solo_a, QUESTIONS[1], "gw0-solo-0") == 0
    assert await cached_tokens(solo_a, QUESTIONS[1], "gw0-solo-1") > 0
    assert await cached_tokens(solo_b, QUESTIONS[1], "gw1-solo-2") == 0
    assert await cached_tokens(solo_b, QUESTIONS[1], "gw1-solo-3") > 0
    return grown[0]


@dataclass
class Outcome:
    started: bool = False  # a stream's response headers reached the client
    failed: str | None = None


async def one_request(api: openai.AsyncOpenAI, index: int, gateway: int) -> Outcome:
    outcome = Outcome()
    messages: list[ChatCompletionMessageParam] = [
        {"role": "system", "content": SYSTEM},
        {"role": "user", "content": QUESTIONS[index % 40]},
    ]
    headers = {"x-request-id": f"gw{gateway}-load-{index}"}
    try:
        if index % 2:
            stream = await api.chat.completions.create(
                model=DEFAULT_MODEL,
                messages=messages,
                max_tokens=2,
                stream=True,
                extra_headers=headers,
            )
            outcome.started = True
            async for _ in stream:
                pass
        else:
            await api.chat.completions.create(
                model=DEFAULT_MODEL,
                messages=messages,
                max_tokens=2,
                extra_headers=headers,
            )
    except openai.APIError as error:
        outcome.failed = type(error).__name__
    return outcome


async def run_load_with_a_kill(site: Site, victim: Engine) -> list[Outcome]:
    numbers = itertools.count()
    outcomes: list[Outcome] = []
    killed, restarted = asyncio.Event(), asyncio.Event()

    async def worker(worker_id: int) -> None:
        gateway = worker_id % 2
        api = client(site, "acme" if worker_id < WORKERS // 2 else "globex", gateway)
        while (index := next(numbers)) < TOTAL:
            outcomes.append(await one_request(api, index, gateway))
            if len(outcomes) == 50 and not killed.is_set():
                killed.set()
                victim.kill()
            if len(outcomes) == 120 and not restarted.is_set():
                restarted.set()
                victim.start()
                await asyncio.to_thread(victim.process.wait_ready, 300)

    await asyncio.gather(*(worker(i) for i in range(WORKERS)))
    return outcomes


def test_two_gateways_three_engines_one_killed(site: Site) -> None:
    victim = asyncio.run(check_affinity_and_isolation(site))
    outcomes = asyncio.run(run_load_with_a_kill(site, victim))
    assert len(outcomes) == TOTAL
    not_started_failures = [o for o in outcomes if o.failed and not o.started]
    assert not_started_failures == [], not_started_failures
    assert sum(1 for o in outcomes if o.failed) <= WORKERS  # only streams in flight on the victim

    # The health probe runs every 2 s: give it a few rounds to see the restarted engine answer. Each
    # gateway keeps its own health view: wait until every one that marked the victim down in "default"
    # has taken it back, or gateway 0 (which check_rejoined uses) may still be routing around it.
    back, down = f"default: replica {victim.url} is back", f"default: replica {victim.url} marked down"
    deadline = time.monotonic() + 30
    while True:
        logs = [path.read_text(errors="replace") for path in sorted(site.logs.glob("gateway-*.log"))]
        if all(back in log for log in logs if down in log) or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert len(logs) == 2
    assert any(down in log for log in logs)
    assert all(back in log for log in logs if down in log), [(down in log, back in log) for log in logs]
    # Rejoined: acme's prefix goes back to the restarted engine (empty cache: warms once, then hits).
    before = victim.cached_prompt_tokens()
    asyncio.run(check_rejoined(site))
    assert victim.cached_prompt_tokens() > before
    check_audit(site)


async def check_rejoined(site: Site) -> None:
    api = client(site, "acme", 0)
    for i in range(3):
        await cached_tokens(api, QUESTIONS[10 + i], f"gw0-rejoin-{i}")


def check_audit(site: Site) -> None:
    database = Database(site.settings.resolved_database_url)
    try:
        with database.session() as session:
            records = list(session.scalars(select(AuditRecord).where(AuditRecord.event_type == "request")))
            writers = {str(record.request_id).split("-")[0] for record in records}
            assert writers == {"gw0", "gw1"}
            assert len(records) >= TOTAL
            keyring = key_ring(site.settings)
            for record in records:
                if record.outcome == "ok":
                    body = read_body(session, keyring, str(record.tenant_id), record.seq)
                    assert body["request"]["messages"][1]["content"] in QUESTIONS
    finally:
        database.dispose()
    env = {
        **os.environ,
        "BULWARK_HOME": str(site.settings.home),
        "BULWARK_DEV_MODE": "1",
        "BULWARK_DATABASE_URL": site.settings.resolved_database_url,
    }
    subprocess.run(
        [sys.executable, "-m", "gateway.cli.main", "audit", "checkpoint"], cwd=REPO, env=env, check=False
    )
    verify = subprocess.run(
        [sys.executable, "-m", "gateway.cli.main", "audit", "verify"],
        cwd=REPO, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert verify.returncode == 0, verify.stdout + verify.stderr
    assert verify.stdout.startswith("OK:")
