"""Owns the policy set in force and swaps it atomically.

Readers take ``current`` once per request (one reference read), so a request is decided by exactly one
version even while a reload runs. A reload validates the whole directory first; an invalid set is
refused and the old one stays in force. The swap happens only after the outcome is recorded: a policy
change that cannot be audited does not take effect.
"""

from __future__ import annotations

import errno
import logging
import os
import secrets
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from gateway.errors import BulwarkError
from gateway.policy.diff import changed_tenants, diff_policy, diff_sets
from gateway.policy.history import TenantChange
from gateway.policy.issues import PolicyIssue, PolicySetInvalid
from gateway.policy.policy_set import PolicySet, load_policy_set, tenant_hash
from gateway.policy.schema import ValidationOptions
from gateway.policy.source import ParseCache

logger = logging.getLogger(__name__)
_READ_ONLY_ERRNOS = (errno.EROFS, errno.EACCES, errno.EPERM)


class PolicyFilesReadOnly(BulwarkError):
    """The policy directory is mounted read-only (e.g. a ConfigMap managed from git): files are the only
    way to change policy here, so an API edit is refused rather than half-applied."""

    status_code = 409
    error_type = "invalid_request_error"
    code = "policy_read_only"

    def __init__(self) -> None:
        super().__init__(
            "Policies are mounted read-only on this gateway (BULWARK_POLICY_DIR): change them where they "
            "are managed and roll them out; nothing was changed."
        )


class ReloadRecorder(Protocol):
    def record_applied(
        self,
        *,
        actor: str,
        version: str,
        previous_version: str | None,
        summary: list[str],
        tenants: list[TenantChange],
    ) -> None: ...

    def record_refused(
        self, *, actor: str, version_in_force: str | None, issues: tuple[PolicyIssue, ...]
    ) -> None: ...


@dataclass(frozen=True)
class ReloadOutcome:
    applied: bool
    version: str | None  # the version in force after the reload
    previous_version: str | None
    changes: list[str] = field(default_factory=list)
    issues: tuple[PolicyIssue, ...] = ()


class PolicyStore:
    def __init__(
        self, root: Path, options: ValidationOptions, recorder: ReloadRecorder | None = None
    ) -> None:
        self.root = root
        self.options = options
        self._recorder = recorder
        self._current: PolicySet | None = None
        self._parsed = ParseCache()
        self._reload_lock = threading.Lock()  # serializes writers; readers never wait

    @property
    def current(self) -> PolicySet | None:
        return self._current

    @property
    def read_only(self) -> bool:
        try:
            mounted_read_only = bool(os.statvfs(self.root).f_flag & os.ST_RDONLY)
        except OSError:
            return False  # a missing directory is created on the first write
        return mounted_read_only or not os.access(self.root, os.W_OK)

    def preview(self, overlay: Mapping[str, str] | None = None) -> PolicySet:
        """The set that would be in force with ``overlay`` applied; raises :class:`PolicySetInvalid`."""
        return load_policy_set(self.root, self.options, overlay, self._parsed)

    def reload(self, actor: str) -> ReloadOutcome:
        with self._reload_lock:
            return self._reload_locked(actor)

    def write_and_reload(self, relative: str, text: str, actor: str) -> ReloadOutcome:
        """Replace one file and reload; if the set is refused, the file's previous content is restored
        so the directory on disk keeps matching the policy in force."""
        with self._reload_lock:
            path = self.root / relative
            previous = path.read_text(encoding="utf-8") if path.exists() else None
            try:
                _write_atomically(path, text)
            except OSError as error:
                if error.errno in _READ_ONLY_ERRNOS:
                    raise PolicyFilesReadOnly() from None
                raise
            outcome = self._reload_locked(actor)
            if not outcome.applied:
                if previous is None:
                    path.unlink(missing_ok=True)
                else:
                    _write_atomically(path, previous)
            return outcome

    def _reload_locked(self, actor: str) -> ReloadOutcome:
        old = self._current
        old_version = old.version if old else None
        try:
            candidate = load_policy_set(self.root, self.options, cache=self._parsed)
            self._parsed.keep_only(list(candidate.sources.values()))
        except PolicySetInvalid as error:
            logger.warning(
                "policy set refused (%d problems); %s stays in force", len(error.issues), old_version
            )
            self._record_refused(actor, old_version, error.issues)
            return ReloadOutcome(False, old_version, old_version, issues=error.issues)
        if old is not None and candidate.version == old.version:
            return ReloadOutcome(True, old.version, old.version)
        before = old.effective() if old else {}
        after = candidate.effective()
        summary = diff_sets(before, after)
        tenants = [
            TenantChange(
                t,
                diff_policy(before.get(t, {}), after[t]) if t in after else ["removed"],
                tenant_hash(after[t]) if t in after else "",
            )
            for t in changed_tenants(before, after)
        ]
        if self._recorder is not None:
            try:
                self._recorder.record_applied(
                    actor=actor,
                    version=candidate.version,
                    previous_version=old_version,
                    summary=summary,
                    tenants=tenants,
                )
            except Exception as error:  # noqa: BLE001 - any storage failure means: do not swap
                logger.error(
                    "policy reload not recorded (%s); %s stays in force", type(error).__name__, old_version
                )
                issue = PolicyIssue(str(self.root), 1, 1, "the change could not be recorded in the audit log")
                return ReloadOutcome(False, old_version, old_version, issues=(issue,))
        self._current = candidate
        logger.info("policy set %s in force (%d changes)", candidate.version[:12], len(summary))
        return ReloadOutcome(True, candidate.version, old_version, changes=summary)

    def _record_refused(self, actor: str, version: str | None, issues: tuple[PolicyIssue, ...]) -> None:
        if self._recorder is None:
            return
        try:
            self._recorder.record_refused(actor=actor, version_in_force=version, issues=issues)
        except Exception as error:  # noqa: BLE001 - the refusal stands whether or not it was recorded
            logger.error("policy refusal not recorded: %s", type(error).__name__)


def _write_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
