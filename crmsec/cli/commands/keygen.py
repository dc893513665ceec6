"""`crmsec keygen`: create the Ed25519 key pair that signs reports."""

from __future__ import annotations

from pathlib import Path

import click

from crmsec import signing
from crmsec.cli import console


@click.command("keygen")
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="Private key file to write (0600); the public key goes to OUT.pub.",
)
@click.option(
    "--passphrase-env",
    metavar="NAME",
    help=f"Encrypt the private key with the passphrase in variable NAME "
    f"(default: ${signing.PASSPHRASE_VARIABLE} when set, else no encryption).",
)
@click.option("--force", is_flag=True, help="Replace an existing key pair.")
def command(out: Path, passphrase_env: str | None, force: bool) -> None:
    """Create an Ed25519 key pair for `crmsec sign` (private PEM PKCS8, public PEM SPKI)."""
    passphrase = signing.passphrase_from_environment(passphrase_env)
    private_path, public_path = signing.generate_keypair(out, passphrase=passphrase, force=force)
    public_key = signing.load_public_key(public_path)
    variable = passphrase_env or signing.PASSPHRASE_VARIABLE
    protection = f"encrypted with ${variable}" if passphrase else "not encrypted"
    console.out(f"private key: {private_path} (mode 0600, {protection})")
    console.out(f"public key:  {public_path}")
    console.out(f"keyid:       {signing.keyid(public_key)}")
