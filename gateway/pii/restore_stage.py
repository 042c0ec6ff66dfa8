"""Pipeline stage ``restore``: put originals back where the answer repeats a pseudonym.

Only pseudonyms the same tenant and API key sent are restored (the vault is keyed by both); any other
placeholder is left as it is. In a stream, text that could be the start of a placeholder ("<PERS") is
held back until it is complete or cannot be one.
"""

from __future__ import annotations

import re
from dataclasses import replace

from gateway.pii.pseudonyms import TOKEN_PATTERN
from gateway.pii.request_texts import response_slots
from gateway.pii.stream_text import rewrite_stream
from gateway.pii.vault import PseudonymVault
from gateway.pipeline.context import RequestContext
from gateway.pipeline.stage import Next, UpstreamReply

# A suffix that may still grow into "<TYPE_abcdef>": at most 48 characters, no space.
_PARTIAL_TOKEN = re.compile(r"<[A-Z0-9_]{0,40}(?:_[0-9a-f]{0,6})?$")


class RestoreStage:
    name = "restore"

    def __init__(self, vault: PseudonymVault) -> None:
        self._vault = vault

    async def __call__(self, ctx: RequestContext, call_next: Next) -> UpstreamReply:
        reply = await call_next(ctx)
        if ctx.endpoint not in {"chat.completions", "completions"} or ctx.identity is None:
            return reply
        restorer = PseudonymRestorer(self._vault, ctx.tenant_id or "", ctx.key_id or "")
        if reply.body is not None:
            for slot in response_slots(reply.body):
                slot.write(restorer.restore(slot.read()))
        if reply.chunks is not None:
            reply = replace(reply, chunks=rewrite_stream(reply.chunks, restorer.stream))
        return reply


class PseudonymRestorer:
    def __init__(self, vault: PseudonymVault, tenant_id: str, key_id: str) -> None:
        self._vault, self._tenant_id, self._key_id = vault, tenant_id, key_id

    def restore(self, text: str) -> str:
        def original(match: re.Match[str]) -> str:
            found = self._vault.lookup(self._tenant_id, self._key_id, match.group())
            return match.group() if found is None else found

        return TOKEN_PATTERN.sub(original, text)

    def stream(self) -> StreamRestorer:
        return StreamRestorer(self)


class StreamRestorer:
    def __init__(self, restorer: PseudonymRestorer) -> None:
        self._restorer = restorer
        self._held = ""

    async def feed(self, delta: str) -> str:
        text = self._held + delta
        partial = _PARTIAL_TOKEN.search(text)
        cut = partial.start() if partial else len(text)
        self._held = text[cut:]
        return self._restorer.restore(text[:cut])

    async def finish(self) -> str:
        held, self._held = self._held, ""
        return self._restorer.restore(held)
