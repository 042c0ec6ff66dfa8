"""From a chat request to what the engine runs: the prompt through the chat template (tools included),
the grammar that constrains decoding (response_format, forced tool calls), and how to read the output."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from engine.errors import InvalidRequestError
from engine.grammar import Grammar, GrammarCompiler, GrammarError, json_schema
from engine.protocol import ChatCompletionRequest, ChatMessage, NamedToolChoice
from engine.tool_calls import call_grammar, render_call, tools_system_block


@dataclass(frozen=True)
class ChatPlan:
    prompt: str
    grammar: Grammar | None
    # Function names whose calls are parsed out of the output; empty: the output is only content.
    tool_names: frozenset[str]
    parallel_tool_calls: bool = True


def plan_chat(body: ChatCompletionRequest, tokenizer: Any, compiler: GrammarCompiler) -> ChatPlan:
    _check_fields(body)
    functions = _offered_functions(body)
    messages = [_template_message(m) for m in body.messages]
    if functions:
        messages = _with_system_text(messages, tools_system_block([t.model_dump() for t in body.tools or []]))
    prompt = tokenizer.apply_chat_template(messages, add_generation_prompt=True, tokenize=False)
    return ChatPlan(
        prompt=str(prompt),
        grammar=_grammar(body, functions, compiler),
        tool_names=frozenset(f["name"] for f in functions),
        parallel_tool_calls=body.parallel_tool_calls is not False,
    )


def _check_fields(body: ChatCompletionRequest) -> None:
    if body.top_logprobs is not None and not body.logprobs:
        raise InvalidRequestError("top_logprobs requires logprobs to be true", param="top_logprobs")
    if body.tool_choice not in (None, "none") and not body.tools:
        raise InvalidRequestError("tool_choice needs tools", param="tool_choice")
    fmt = body.response_format
    if fmt is not None and fmt.type == "json_schema" and fmt.json_schema is None:
        raise InvalidRequestError("response_format json_schema needs a json_schema", param="response_format")
    if fmt is not None and fmt.type != "text" and _forced(body):
        raise InvalidRequestError(
            "a forced tool call and a JSON response_format cannot both constrain the output",
            param="response_format",
        )


def _forced(body: ChatCompletionRequest) -> bool:
    return body.tool_choice == "required" or isinstance(body.tool_choice, NamedToolChoice)


def _offered_functions(body: ChatCompletionRequest) -> list[dict[str, Any]]:
    """The functions the model may call: none for tool_choice none, one for a named choice."""
    if not body.tools or body.tool_choice == "none":
        return []
    functions = [t.function.model_dump(exclude_none=True) for t in body.tools]
    if isinstance(body.tool_choice, NamedToolChoice):
        named = [f for f in functions if f["name"] == body.tool_choice.function.name]
        if not named:
            raise InvalidRequestError(
                "tool_choice names a function that is not in tools", param="tool_choice"
            )
        return named
    return functions


def _grammar(
    body: ChatCompletionRequest, functions: list[dict[str, Any]], compiler: GrammarCompiler
) -> Grammar | None:
    fmt = body.response_format
    try:
        if _forced(body):
            return compiler.lark(f"start: call\n{call_grammar(functions)}")
        if fmt is None or fmt.type == "text":
            return None
        schema = fmt.json_schema.schema_ if fmt.type == "json_schema" and fmt.json_schema else {}
        schema = schema or {"type": "object"}
        if not functions:
            return compiler.json_schema(schema)
        # tool_choice auto with a JSON format: either a call or the JSON answer.
        return compiler.lark(f"start: call | %json {_json(schema)}\n{call_grammar(functions)}")
    except GrammarError as error:
        param = "tools" if _forced(body) else "response_format"
        raise InvalidRequestError(
            f"{param} cannot be compiled into a grammar: {error}", param=param
        ) from None


def _json(schema: dict[str, Any]) -> str:
    return json.dumps(json_schema(schema))


def _template_message(message: ChatMessage) -> dict[str, str]:
    text = message.text()
    if message.role == "assistant" and message.tool_calls:
        calls = "\n".join(render_call(c.function.name, c.function.arguments) for c in message.tool_calls)
        text = f"{text}\n{calls}" if text else calls
    return {"role": message.role, "content": text}


def _with_system_text(messages: list[dict[str, str]], block: str) -> list[dict[str, str]]:
    if messages and messages[0]["role"] in ("system", "developer"):
        first = messages[0]
        return [{"role": first["role"], "content": f"{first['content']}\n\n{block}"}, *messages[1:]]
    return [{"role": "system", "content": block}, *messages]
