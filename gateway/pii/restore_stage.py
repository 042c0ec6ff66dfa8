"""Pipeline stage ``restore``: put originals back where the answer repeats a pseudonym.

Only pseudonyms the same tenant and API key sent are restored (the vault is keyed by both), and only
for a request that sent some (``ctx.pseudonymized``); any other placeholder is left as it is. In a stream, text that could be the start of a placeholder ("<PERS") is
held back until it is complete or cannot be one. If the vault cannot be read the placeholders stay:
nothing leaks, the caller just sees them.
"""

from __future__ import annotations

import logging
import re
from dataclasses import replace

from gateway.pii.pseudonyms import TOKEN_PATTERN
from gateway.pii.response_texts import TEXT_ANSWERS, response_slots
from gateway.pii.stream_text import rewrite_stream
from gateway.pii.vault import Vault
from gateway.pipeline.context import RequestContext
from gateway.pipeline.stage import Next, UpstreamReply

logger = logging.getLogger(__name__)
# A suffix that may still grow into "<TYPE_abcdef>": at most 48 characters, no space.
_PARTIAL_TOKEN = re.compile(r"<[A-Z0-9_]{0,40}(?:_[0-9a-f]{0,6})?$")


class RestoreStage:
    name = "restore"

    def __init__(self, vault: Vault) -> None:
        self._vault = vault

    async def __call__(self, ctx: RequestContext, call_next: Next) -> UpstreamReply:
        reply = await call_next(ctx)
        if ctx.endpoint not in TEXT_ANSWERS or ctx.identity is None or not ctx.pseudonymized:
            return reply  # no pseudonym went out with this request, so none can come back
        restorer = PseudonymRestorer(self._vault, ctx.tenant_id or "", ctx.key_id or "")
        if reply.body is not None:
            for slot in response_slots(reply.body):
                slot.write(await restorer.restore(slot.read()))
        if reply.chunks is not None:
            reply = replace(reply, chunks=rewrite_stream(reply.chunks, restorer.stream))
        return reply


class PseudonymRestorer:
    def __init__(self, vault: Vault, tenant_id: str, key_id: str) -> None:
        self._vault, self._tenant_id, self._key_id = vault, tenant_id, key_id

    async def restore(self, text: str) -> str:
        tokens = {match.group() for match in TOKEN_PATTERN.finditer(text)}
        if not tokens:
            return text
        try:
            originals = await self._vault.lookup_many(self._tenant_id, self._key_id, tokens)
        except Exception as error:  # noqa: BLE001 - placeholders stay; nothing is revealed
            logger.error("pseudonym vault lookup failed: %s", type(error).__name__)
            return text
        return TOKEN_PATTERN.sub(lambda match: originals.get(match.group(), match.group()), text)

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
        return await self._restorer.restore(text[:cut])

    async def finish(self) -> str:
        held, self._held = self._held, ""
        return await self._restorer.restore(held)
