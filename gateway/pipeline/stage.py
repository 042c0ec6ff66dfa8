"""The stage contract and the one loop that composes stages (the way Starlette composes middleware)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from gateway.pipeline.context import RequestContext

JsonObject = dict[str, Any]


@dataclass
class UpstreamReply:
    """What the engine answered, as the stages on the way out see and rewrite it."""

    status_code: int = 200
    body: JsonObject | None = None  # non-streaming OpenAI response
    chunks: AsyncIterator[JsonObject] | None = None  # streamed OpenAI chunk objects


Next = Callable[[RequestContext], Awaitable[UpstreamReply]]


class Stage(Protocol):
    name: str

    async def __call__(self, ctx: RequestContext, call_next: Next) -> UpstreamReply: ...


async def _end_of_pipeline(ctx: RequestContext) -> UpstreamReply:
    # The innermost stage (forward) answers without calling on; reaching here is a wiring bug.
    raise RuntimeError("pipeline has no terminal stage")


class Pipeline:
    """Runs ``stages`` outermost first; each decides whether and when to call the next."""

    def __init__(self, stages: Sequence[Stage]) -> None:
        self.stages = tuple(stages)
        handler: Next = _end_of_pipeline
        for stage in reversed(self.stages):
            handler = self._bind(stage, handler)
        self._handler = handler

    @staticmethod
    def _bind(stage: Stage, call_next: Next) -> Next:
        async def run(ctx: RequestContext) -> UpstreamReply:
            ctx.stages_run.append(stage.name)
            return await stage(ctx, call_next)

        return run

    @property
    def names(self) -> list[str]:
        return [stage.name for stage in self.stages]

    async def __call__(self, ctx: RequestContext) -> UpstreamReply:
        return await self._handler(ctx)
