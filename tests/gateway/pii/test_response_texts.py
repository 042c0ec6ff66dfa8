"""Logprob tokens are rewritten so they spell the redacted text, not the original."""

from __future__ import annotations

from gateway.pii.response_texts import redact_tokens, token_runs


def test_tokens_that_spell_a_redacted_span_lose_every_character_of_it() -> None:
    tokens = ["SSN ", "219", "-09", "-9999", " ok"]
    body = {
        "choices": [
            {"logprobs": {"content": [{"token": t, "bytes": [1], "top_logprobs": [{}]} for t in tokens]}}
        ]
    }
    [run] = token_runs(body)
    redact_tokens(run, [(4, 15, "<US_SSN>")])
    entries = body["choices"][0]["logprobs"]["content"]
    assert [e["token"] for e in entries] == ["SSN ", "<US_SSN>", "", "", " ok"]
    assert entries[1]["bytes"] is None and entries[1]["top_logprobs"] == []
    assert entries[0]["top_logprobs"] == [{}]


def test_completion_logprobs_are_rewritten_too() -> None:
    body = {"choices": [{"logprobs": {"tokens": ["Dr", " Ma", "ria"], "top_logprobs": [{}, {"x": -1}, {}]}}]}
    [run] = token_runs(body)
    redact_tokens(run, [(3, 8, "<PERSON>")])
    assert body["choices"][0]["logprobs"]["tokens"] == ["Dr", " <PERSON>", ""]
