"""Reads one policy YAML file into plain data plus the line and column of every key and value.

ruamel.yaml keeps node positions, so a validation error on ``rate_limits.per_key.requests_per_minute``
can be reported at the exact line an admin typed it.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from typing import Any, Literal

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import DuplicateKeyError
from ruamel.yaml.error import MarkedYAMLError

from gateway.policy.issues import PolicyIssue, PolicySetInvalid

Kind = Literal["base", "tenant"]
DataPath = tuple[str | int, ...]
Position = tuple[int, int]  # 1-based line, column
MAX_DEPTH = 16
MAX_NODES = 50_000


@dataclass(frozen=True)
class PolicySource:
    name: str  # the file stem: how ``extends`` names a base, and the tenant id of a tenant file
    kind: Kind
    display_path: str
    text: str
    data: dict[str, Any]
    value_positions: dict[DataPath, Position] = field(default_factory=dict)
    key_positions: dict[DataPath, Position] = field(default_factory=dict)

    def position(self, path: DataPath, *, of_key: bool = False) -> Position | None:
        table = self.key_positions if of_key else self.value_positions
        return table.get(path)

    def issue(self, path: DataPath, message: str, *, of_key: bool = False) -> PolicyIssue:
        line, column = self.nearest_position(path, of_key=of_key)
        return PolicyIssue(self.display_path, line, column, message, origin=self.display_path)

    def nearest_position(self, path: DataPath, *, of_key: bool = False) -> Position:
        """The position of ``path`` or, when it is absent (a missing field), of its nearest ancestor."""
        probe = path
        while probe:
            found = self.position(probe, of_key=of_key) or self.position(probe, of_key=not of_key)
            if found is not None:
                return found
            probe = probe[:-1]
        return (1, 1)


def parse_source(name: str, kind: Kind, display_path: str, text: str) -> PolicySource:
    """Parse ``text``; raises :class:`PolicySetInvalid` with the syntax error's position."""
    try:
        loaded = YAML(typ="rt", pure=True).load(text)
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        message = f"YAML syntax error: {_problem(error)}"
        raise PolicySetInvalid([PolicyIssue(display_path, line, column, message, display_path)]) from None
    if loaded is None:
        loaded = CommentedMap()
    if not isinstance(loaded, CommentedMap):
        issue = PolicyIssue(display_path, 1, 1, "a policy file must be a mapping of keys", display_path)
        raise PolicySetInvalid([issue])
    values: dict[DataPath, Position] = {}
    keys: dict[DataPath, Position] = {}
    try:
        data = _plain(loaded, (), values, keys)
    except _TooLarge:
        message = f"a policy file may nest at most {MAX_DEPTH} levels and hold at most {MAX_NODES} values"
        raise PolicySetInvalid([PolicyIssue(display_path, 1, 1, message, display_path)]) from None
    assert isinstance(data, dict)
    return PolicySource(name, kind, display_path, text, data, values, keys)


def _problem(error: MarkedYAMLError) -> str:
    if isinstance(error, DuplicateKeyError):
        # ruamel quotes both values; a value can be a deny-listed name, and issues reach audit headers.
        key = re.search(r'duplicate key "([^"]*)"', error.problem or "")
        return f"duplicate key {key.group(1)!r}" if key else "duplicate key"
    return str(error.problem or error.context or "invalid YAML")


class _TooLarge(Exception):
    pass


def _plain(
    node: Any, path: DataPath, values: dict[DataPath, Position], keys: dict[DataPath, Position]
) -> Any:
    """Plain Python data (ruamel's scalar subclasses unwrapped), recording positions as we go."""
    # YAML aliases can expand a small file exponentially ("billion laughs") or into a cycle.
    if len(path) > MAX_DEPTH or len(values) > MAX_NODES:
        raise _TooLarge
    if isinstance(node, CommentedMap):
        result: dict[str, Any] = {}
        for key in node:
            child = (*path, str(key))
            key_line, key_col = node.lc.key(key)
            value_line, value_col = node.lc.value(key)
            keys[child] = (key_line + 1, key_col + 1)
            values[child] = (value_line + 1, value_col + 1)
            result[str(key)] = _plain(node[key], child, values, keys)
        return result
    if isinstance(node, CommentedSeq):
        items = []
        for index, item in enumerate(node):
            line, column = node.lc.item(index)
            values[(*path, index)] = (line + 1, column + 1)
            items.append(_plain(item, (*path, index), values, keys))
        return items
    if isinstance(node, bool) or node is None:
        return node
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    if isinstance(node, str):
        return str(node)
    return node


class ParseCache:
    """Parsed files by content, so a reload re-parses only the files that changed: parsing is ~90% of
    loading a set (ruamel's round-trip parser is pure Python), and reload time is what admins wait for."""

    def __init__(self) -> None:
        self._entries: dict[tuple[str, str, str], PolicySource] = {}
        self._lock = threading.Lock()

    def parse(self, name: str, kind: Kind, display_path: str, text: str) -> PolicySource:
        key = (display_path, kind, text)
        with self._lock:
            cached = self._entries.get(key)
        if cached is not None:
            return cached
        source = parse_source(name, kind, display_path, text)
        with self._lock:
            self._entries[key] = source
        return source

    def keep_only(self, sources: list[PolicySource]) -> None:
        """Forget files no longer read, so old versions of edited files do not pile up."""
        wanted = {(s.display_path, s.kind, s.text) for s in sources}
        with self._lock:
            self._entries = {key: value for key, value in self._entries.items() if key in wanted}
