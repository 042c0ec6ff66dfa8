"""A problem found in a policy file, pinned to the line an admin has to fix."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class PolicyIssue:
    path: str  # as the admin names it: relative to the policy directory's parent when possible
    line: int  # 1-based
    column: int  # 1-based
    message: str
    # The file whose effective (merged) policy was being checked; differs from ``path`` when a tenant's
    # validation trips over a value its base supplied.
    origin: str = ""

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.message}"


class PolicySetInvalid(Exception):
    """The policy set cannot be put in force; the issues say where and why."""

    def __init__(self, issues: Iterable[PolicyIssue]) -> None:
        unique = sorted({(i.path, i.line, i.column, i.message): i for i in issues}.values())
        self.issues = tuple(unique)
        super().__init__(f"{len(self.issues)} problem(s) in the policy set")

    def lines(self) -> list[str]:
        return [str(issue) for issue in self.issues]
