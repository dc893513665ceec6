"""Signing keys: Ed25519 key pairs on disk (PEM, optionally passphrase-encrypted), loading them, passphrases.

Split out of `crmsec.signing`, which re-exports every public name here. Unusable key files raise
`SigningError`; an existing key without `force` raises `InputError`.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from crmsec import files
from crmsec.errors import InputError, SigningError

logger = logging.getLogger("crmsec.signing")  # the name users filter on did not change with the split

PASSPHRASE_VARIABLE = "CRMSEC_KEY_PASSPHRASE"  # noqa: S105 -- a variable name, not a secret
MAX_KEY_BYTES = 64 * 1024


def public_key_path(private_key_path: Path) -> Path:
    """Where the public half of KEY lives: KEY.pub."""
    return private_key_path.with_name(private_key_path.name + ".pub")


def generate_keypair(path: Path, *, passphrase: bytes | None, force: bool) -> tuple[Path, Path]:
    """Write a new Ed25519 key pair: `path` (PEM PKCS8, 0600 from creation on) and `path`.pub (PEM SPKI).

    An existing file at either path raises `InputError` unless `force`; then both are replaced atomically.
    """
    public_path = public_key_path(path)
    existing = [str(candidate) for candidate in (path, public_path) if candidate.exists() or candidate.is_symlink()]
    if existing and not force:
        raise InputError(f"{', '.join(existing)}: already exists", hint="pass --force to replace the key pair")
    private_key = Ed25519PrivateKey.generate()
    encryption: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(passphrase) if passphrase else serialization.NoEncryption()
    )
    private_pem = private_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)
    public_pem = private_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    _write_new(path, private_pem, mode=0o600, replace=force)
    _write_new(public_path, public_pem, mode=0o644, replace=force)
    return path, public_path


def _write_new(path: Path, data: bytes, *, mode: int, replace: bool) -> None:
    """Create `path` with `mode` from the first byte: O_EXCL, or with `replace` an atomic `files.write_atomic`."""
    try:
        if replace:
            files.write_atomic(path, data, mode=mode)
            return
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
        with os.fdopen(descriptor, "wb") as handle:
            os.fchmod(handle.fileno(), mode)
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except FileExistsError as error:
        raise InputError(f"{path}: already exists", hint="pass --force to replace the key pair") from error
    except OSError as error:
        raise SigningError(f"{path}: cannot write ({error.strerror or type(error).__name__})") from error


def load_private_key(path: Path, passphrase: bytes | None) -> Ed25519PrivateKey:
    """Load an Ed25519 private key (PEM PKCS8, optionally encrypted); problems raise `SigningError`."""
    data = files.read_regular(path, limit=MAX_KEY_BYTES, error=SigningError)
    if os.name == "posix" and path.stat().st_mode & 0o077:
        logger.warning("%s: private key is readable by group or others; chmod 600 it", path)
    try:
        key = serialization.load_pem_private_key(data, password=passphrase or None)
    except TypeError as error:  # cryptography: encrypted without a passphrase, or the reverse
        hint = f"set {PASSPHRASE_VARIABLE} (or --passphrase-env NAME) for an encrypted key; unset it otherwise"
        raise SigningError(f"{path}: {_passphrase_problem(passphrase)}", hint=hint) from error
    except (ValueError, UnsupportedAlgorithm) as error:
        raise SigningError(f"{path}: not a PEM private key, or the passphrase is wrong") from error
    if not isinstance(key, Ed25519PrivateKey):
        raise SigningError(f"{path}: not an Ed25519 private key", hint="create one with `crmsec keygen --out KEY`")
    return key


def _passphrase_problem(passphrase: bytes | None) -> str:
    return "the key is encrypted and no passphrase was given" if not passphrase else "the key is not encrypted"


def load_public_key(path: Path) -> Ed25519PublicKey:
    """Load an Ed25519 public key (PEM SubjectPublicKeyInfo); problems raise `SigningError`."""
    data = files.read_regular(path, limit=MAX_KEY_BYTES, error=SigningError)
    try:
        key = serialization.load_pem_public_key(data)
    except (ValueError, UnsupportedAlgorithm) as error:
        raise SigningError(
            f"{path}: not a PEM public key", hint="pass the KEY.pub written by `crmsec keygen`"
        ) from error
    if not isinstance(key, Ed25519PublicKey):
        raise SigningError(f"{path}: not an Ed25519 public key", hint="pass the KEY.pub written by `crmsec keygen`")
    return key


def passphrase_from_environment(name: str | None) -> bytes | None:
    """The passphrase held in variable `name` (explicit: must be set), else in CRMSEC_KEY_PASSPHRASE if set.

    Passphrases never come from argv: it leaks into `ps`, shell history and CI logs.
    """
    if name is not None:
        value = os.environ.get(name)
        if not value:
            raise InputError(f"--passphrase-env {name}: the variable is not set or empty")
        return value.encode("utf-8")
    value = os.environ.get(PASSPHRASE_VARIABLE)
    return value.encode("utf-8") if value else None


# -- the in-toto statement over report.json and evidence.json -----------------------------------------
