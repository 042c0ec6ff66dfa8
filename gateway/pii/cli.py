"""``bulwark pii scan [--policy TENANT]``: JSONL ``{"id","text"}`` in, ``{"id","spans"}`` out.

It runs ``scan_text``, the same call the redact stage makes, with the tenant's effective PII rules
(or the strict default), so what it reports is what the gateway would replace.
"""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, TextIO

import typer

from gateway.pii.rules import PiiRules
from gateway.policy.issues import PolicySetInvalid
from gateway.policy.policy_set import load_policy_set
from gateway.policy.schema import ValidationOptions
from gateway.settings import Settings

if TYPE_CHECKING:
    from gateway.pii.analyzer import PiiAnalyzer

pii_app = typer.Typer(help="PII detection tools.", no_args_is_help=True)


@pii_app.command("scan")
def scan(
    policy: str | None = typer.Option(None, "--policy", help="Tenant whose PII rules apply."),
) -> None:
    """Read {"id","text"} lines on stdin; write {"id","spans":[{start,end,type,score}]} lines."""
    settings = Settings()
    rules = _tenant_rules(settings, policy) if policy else PiiRules.default()
    # Imported here: Presidio (and the torch it pulls in) costs ~10 s, which other commands must not pay.
    from gateway.pii.analyzer import PiiAnalyzer

    analyzer = PiiAnalyzer(settings.pii_spacy_model)
    scan_lines(analyzer, rules, sys.stdin, sys.stdout)


def scan_lines(analyzer: PiiAnalyzer, rules: PiiRules, source: TextIO, sink: TextIO) -> None:
    from gateway.pii.scan import scan_text

    for number, line in enumerate(source, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            doc_id, text = record["id"], record["text"]
        except (ValueError, KeyError, TypeError):
            typer.echo(f"line {number}: expected a JSON object with 'id' and 'text'", err=True)
            raise typer.Exit(2) from None
        spans = [finding.as_json() for finding in scan_text(analyzer, str(text), rules)]
        sink.write(json.dumps({"id": doc_id, "spans": spans}) + "\n")
        sink.flush()


def _tenant_rules(settings: Settings, tenant: str) -> PiiRules:
    options = ValidationOptions(known_models=frozenset(settings.served_models))
    try:
        tenant_policy = load_policy_set(settings.policy_dir, options).get(tenant)
    except PolicySetInvalid:
        typer.echo("the policy set is invalid: run `bulwark policy check`", err=True)
        raise typer.Exit(2) from None
    if tenant_policy is None:
        typer.echo(f"no policy for tenant {tenant!r}", err=True)
        raise typer.Exit(2)
    return tenant_policy.pii
