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


class PipelineObserver(Protocol):
    """Watches a request and each stage call (tracing, metrics); it must call on and return the reply."""

    async def around_request(self, ctx: RequestContext, handler: Next) -> UpstreamReply: ...

    async def around_stage(self, stage: Stage, ctx: RequestContext, call_next: Next) -> UpstreamReply: ...


async def _end_of_pipeline(ctx: RequestContext) -> UpstreamReply:
    # The innermost stage (forward) answers without calling on; reaching here is a wiring bug.
    raise RuntimeError("pipeline has no terminal stage")


class Pipeline:
    """Runs ``stages`` outermost first; each decides whether and when to call the next."""

    def __init__(self, stages: Sequence[Stage], observer: PipelineObserver | None = None) -> None:
        self.stages = tuple(stages)
        self._observer = observer
        handler: Next = _end_of_pipeline
        for stage in reversed(self.stages):
            handler = self._bind(stage, handler, observer)
        self._handler = handler

    @staticmethod
    def _bind(stage: Stage, call_next: Next, observer: PipelineObserver | None) -> Next:
        async def run(ctx: RequestContext) -> UpstreamReply:
            ctx.stages_run.append(stage.name)
            if observer is None:
                return await stage(ctx, call_next)
            return await observer.around_stage(stage, ctx, call_next)

        return run

    @property
    def names(self) -> list[str]:
        return [stage.name for stage in self.stages]

    async def __call__(self, ctx: RequestContext) -> UpstreamReply:
        if self._observer is None:
            return await self._handler(ctx)
        return await self._observer.around_request(ctx, self._handler)
