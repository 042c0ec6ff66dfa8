"""The affinity key: which requests should meet the same engine's prefix cache.

Engines cache full blocks of a prompt's leading tokens, salted per tenant, so two requests can share cache
only if they are the same tenant's and start alike. The key is the tenant id plus a digest of the leading
block of the prompt: the first system (or developer) message when a chat opens with one — that is what an
app's requests share — otherwise the first ``prefix_chars`` characters of the rendered prompt. Only the
digest is kept; the key never leaves the process and is never logged.
"""

from __future__ import annotations

import hashlib
from typing import Any

OPENING_ROLES = {"system", "developer"}


def affinity_key(tenant_id: str | None, body: dict[str, Any], prefix_chars: int) -> str | None:
    leading = _leading_block(body, prefix_chars)
    if tenant_id is None or not leading:
        return None
    digest = hashlib.sha256(leading.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return f"{tenant_id}:{digest}"


def _leading_block(body: dict[str, Any], prefix_chars: int) -> str:
    messages = body.get("messages")
    if isinstance(messages, list) and messages:
        first = messages[0]
        if isinstance(first, dict) and first.get("role") in OPENING_ROLES:
            return _render([first])[:prefix_chars]
        return _render(messages)[:prefix_chars]
    prompt = body.get("prompt")
    if isinstance(prompt, list):
        prompt = prompt[0] if prompt and isinstance(prompt[0], str) else None
    return prompt[:prefix_chars] if isinstance(prompt, str) else ""


def _render(messages: list[Any]) -> str:
    rendered: list[str] = []
    for message in messages:
        if not isinstance(message, dict):
            continue
        rendered.append(f"{message.get('role')}\x1f{_content_text(message.get('content'))}\x1e")
    return "".join(rendered)


def _content_text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(str(part.get("text", "")) for part in content if isinstance(part, dict))
    return ""
