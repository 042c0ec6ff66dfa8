"""``bulwark audit new-kek``: the first step of a KEK rotation, done by an operator, never by a replica.

- ``--ring FILE``: add a fresh KEK to a ring file (created if absent, 0600) and make it current; the
  operator then stores the file as the Secret's ``audit-kek.json`` that every replica mounts.
- With ``BULWARK_KEK_PROVIDER=pkcs11``: generate the KEK inside the token (non-extractable); the operator
  then sets ``BULWARK_PKCS11_KEK_LABEL`` to its label on every replica.

Then ``bulwark audit rotate-kek`` rewraps the data keys still under older KEKs.
"""

from __future__ import annotations

from pathlib import Path

import typer

from gateway.audit import crypto
from gateway.audit.kek_file import KekFile, kek_ring_json, new_kek_id
from gateway.audit.key_provider import KeyProviderError
from gateway.cli.context import cli_settings, console, errors
from gateway.home import write_private_file

NEXT_STEP = "then run `bulwark audit rotate-kek`."


def new_kek_command(
    ring: Path | None = typer.Option(None, "--ring", help="KEK ring file to create or extend (0600)"),
    label: str | None = typer.Option(None, "--label", help="PKCS#11 label of the new KEK"),
) -> None:
    """Make a new key-encryption key (ring file or HSM) for a rotation across replicas."""
    try:
        if ring is not None:
            kek_id = add_to_ring(ring)
            console.print(
                f"KEK {kek_id} added to {ring} and made current. Store it as the Secret's audit-kek.json "
                f"on every replica, {NEXT_STEP}"
            )
            return
        kek_id = _create_in_token(label)
    except KeyProviderError as error:
        errors.print(f"[red]{error}[/red]")
        raise typer.Exit(1) from None
    console.print(
        f"KEK {kek_id} created in the token. Set BULWARK_PKCS11_KEK_LABEL={kek_id} on every replica, "
        + NEXT_STEP
    )


def add_to_ring(path: Path) -> str:
    keys: dict[str, bytes] = {}
    if path.exists():
        reader = KekFile(path)
        reader.current_kek_id()  # refuse to rewrite a malformed ring
        keys = reader.ring()[1]
    kek_id = new_kek_id()
    keys[kek_id] = crypto.new_key()
    write_private_file(path, kek_ring_json(kek_id, keys))
    return kek_id


def _create_in_token(label: str | None) -> str:
    settings = cli_settings()
    if settings.kek_provider != "pkcs11":
        raise KeyProviderError("give --ring FILE, or set BULWARK_KEK_PROVIDER=pkcs11 to create it in an HSM")
    from gateway.audit.pkcs11_provider import generate_kek, open_session  # loads the C library

    module, token, pin = settings.pkcs11_module, settings.pkcs11_token_label, settings.pkcs11_pin
    assert module is not None and token is not None and pin is not None  # checked by the settings
    session = open_session(module, token, pin.get_secret_value())
    try:
        return generate_kek(session, label)
    finally:
        session.close()
