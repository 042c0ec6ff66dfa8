"""PII through the real gateway in front of the real engine (SmolLM2), with a recording proxy between
them so the tests assert on exactly what the engine received."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from gateway.audit.models import AuditRecord
from gateway.pii.analyzer import PiiAnalyzer
from gateway.pii.redact_stage import RedactStage
from gateway.pii.rules import Direction, PiiRules
from tests.gateway.pii.recording_proxy import RecordingProxy
from tests.servers import DEFAULT_MODEL, RunningGateway, free_port, running_gateway, serve_in_thread

pytestmark = pytest.mark.slow
POLICIES = Path(__file__).resolve().parents[2] / "data" / "pii" / "policies"
NAME, MRN, SSN = "Maria Garcia", "00452318", "219-09-9999"
TOKEN = re.compile(r"<[A-Z_]+_[0-9a-f]{6}>")


@pytest.fixture
def proxy(engine_url: str) -> Iterator[RecordingProxy]:
    recording = RecordingProxy(engine_url)
    port = free_port()
    with serve_in_thread(recording.app, port):
        recording.url = f"http://127.0.0.1:{port}"
        yield recording


@pytest.fixture
def pii_gateway(tmp_path: Path, proxy: RecordingProxy) -> Iterator[RunningGateway]:
    with running_gateway(tmp_path / "home", proxy.url, policy_dir=POLICIES) as running:
        yield running


def post(gateway: RunningGateway, key: str, path: str, body: dict[str, Any]) -> httpx.Response:
    return httpx.post(
        f"{gateway.base_url}/v1/{path}",
        json={"model": DEFAULT_MODEL, "temperature": 0, **body},
        headers={"authorization": f"Bearer {key}"},
        timeout=300,
    )


def repeated(line: str, label: str) -> str:
    """A prompt a small model continues by copying the line: three examples, then the label."""
    return f"{line}\n{line}\n{line}\n{label}"


def test_seeded_identifiers_never_reach_the_engine_and_are_restored_for_the_caller(
    pii_gateway: RunningGateway, proxy: RecordingProxy
) -> None:
    key = pii_gateway.create_key("pii-e2e")
    prompt = repeated(f"Patient: {NAME}, MRN {MRN}, SSN {SSN}", "Patient:")
    reply = post(pii_gateway, key, "completions", {"prompt": prompt, "max_tokens": 40})
    assert reply.status_code == 200, reply.text
    [sent] = proxy.bodies_sent_to("/v1/completions")
    assert not any(secret in str(sent) for secret in (NAME, MRN, SSN, "Garcia", "452318"))
    assert len(set(TOKEN.findall(sent["prompt"]))) == 3
    answer = reply.json()["choices"][0]["text"]
    assert NAME in answer  # the engine echoed the pseudonym; restore put the original back
    with pii_gateway.database.session() as session:
        [record] = session.scalars(select(AuditRecord).where(AuditRecord.event_type == "request"))
    assert {"PERSON", "MEDICAL_RECORD_NUMBER", "US_SSN"} <= set(record.pii_counts)
    assert record.stages.index("restore") < record.stages.index("redact") < record.stages.index("forward")

    chat = post(
        pii_gateway,
        key,
        "chat/completions",
        {
            "max_tokens": 8,
            "messages": [
                {"role": "system", "content": f"The patient is {NAME}."},
                {"role": "user", "content": f"Her MRN is {MRN} and SSN {SSN}. Say OK."},
            ],
        },
    )
    assert chat.status_code == 200, chat.text
    [sent_chat] = proxy.bodies_sent_to("/v1/chat/completions")
    assert not any(secret in str(sent_chat) for secret in (NAME, MRN, SSN))


def test_another_key_gets_the_placeholder_not_the_original(
    pii_gateway: RunningGateway, proxy: RecordingProxy
) -> None:
    owner, other = pii_gateway.create_key("pii-e2e"), pii_gateway.create_key("pii-e2e")
    post(pii_gateway, owner, "completions", {"prompt": f"Patient: {NAME}", "max_tokens": 1})
    [token] = TOKEN.findall(proxy.bodies_sent_to("/v1/completions")[0]["prompt"])
    reply = post(
        pii_gateway,
        other,
        "completions",
        {"prompt": repeated(f"Patient: {token}", "Patient:"), "max_tokens": 12},
    )
    answer = reply.json()["choices"][0]["text"]
    assert token in answer and NAME not in answer


def test_streamed_phone_number_from_the_model_is_redacted_chunk_safely(
    pii_gateway: RunningGateway, proxy: RecordingProxy
) -> None:
    key = pii_gateway.create_key("pii-e2e")
    prompt = repeated("Phone: 617-555-0199", "Phone:")
    parts: list[str] = []
    with httpx.stream(
        "POST",
        f"{pii_gateway.base_url}/v1/completions",
        timeout=300,
        headers={"authorization": f"Bearer {key}"},
        json={"model": DEFAULT_MODEL, "prompt": prompt, "max_tokens": 40, "temperature": 0, "stream": True},
    ) as response:
        assert response.status_code == 200
        for line in response.iter_lines():
            if line.startswith("data: {"):
                chunk = httpx.Response(200, content=line[6:]).json()
                parts.extend(choice.get("text") or "" for choice in chunk.get("choices", []))
    # The policy lets phone numbers in, so the engine saw one and wrote more: the response scan did this.
    assert "617-555-0199" in proxy.bodies_sent_to("/v1/completions")[0]["prompt"]
    text = "".join(parts)
    assert "<PHONE_NUMBER>" in text
    assert not re.search(r"\d{3}[-. ]\d{4}", text)
    assert sum(1 for part in parts if part) > 1


class _BrokenAnalyzer(PiiAnalyzer):
    def __init__(self) -> None:  # fault injection: fails before touching any model
        pass

    def analyze(self, text: str, rules: PiiRules, direction: Direction = "request") -> list[Any]:
        raise RuntimeError("detector crashed")


def test_analyzer_failure_gives_503_and_nothing_is_forwarded(
    pii_gateway: RunningGateway, proxy: RecordingProxy
) -> None:
    [redact] = [s for s in pii_gateway.services.pipeline.stages if isinstance(s, RedactStage)]
    redact._pii.analyzer = _BrokenAnalyzer()
    key = pii_gateway.create_key("pii-e2e")
    reply = post(
        pii_gateway,
        key,
        "chat/completions",
        {"max_tokens": 4, "messages": [{"role": "user", "content": f"{NAME} MRN {MRN}"}]},
    )
    assert reply.status_code == 503
    assert reply.json()["error"]["code"] == "service_unavailable"
    assert NAME not in reply.text
    assert proxy.received == []


def test_blocked_type_is_refused_with_400_naming_the_type_only(
    pii_gateway: RunningGateway, proxy: RecordingProxy
) -> None:
    key = pii_gateway.create_key("pii-e2e-block")
    content = f"Patient {NAME}, SSN {SSN}."
    reply = post(
        pii_gateway,
        key,
        "chat/completions",
        {"max_tokens": 4, "messages": [{"role": "user", "content": content}]},
    )
    assert reply.status_code == 400
    error = reply.json()["error"]
    assert error["code"] == "pii_blocked" and "US_SSN" in error["message"]
    assert SSN not in reply.text and NAME not in reply.text
    assert proxy.received == []
