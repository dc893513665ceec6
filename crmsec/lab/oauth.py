"""The lab's OAuth 2.0 token endpoint: the client credentials grant and the JWT bearer grant.

Client credentials: `client_id` must be the lab's consumer key and `client_secret` the lab's token. JWT
bearer: the assertion must be an RS256 JWT whose signature verifies with the public key the lab was
given (`LabConfig.jwt_public_key`), with `iss` = the consumer key, `aud` = the lab's audience
(`https://login.salesforce.com`, or `https://test.salesforce.com` for a sandbox lab), a `sub`,
and an `exp` in the future (at most five minutes ahead, as Salesforce requires). Failures answer as
Salesforce does: HTTP 400 with `{"error", "error_description"}`.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

CLIENT_ID = "crmsec-lab-client"
AUDIENCE = "https://login.salesforce.com"
SANDBOX_AUDIENCE = "https://test.salesforce.com"
JWT_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer"
MAX_LIFETIME_SECONDS = 300


@dataclass(frozen=True, slots=True)
class OAuthSettings:
    """Who the token endpoint accepts."""

    client_secret: str
    client_id: str = CLIENT_ID
    audience: str = AUDIENCE
    jwt_public_key: rsa.RSAPublicKey | None = None


def load_public_key(pem: bytes) -> rsa.RSAPublicKey:
    """An RSA public key from PEM (ValueError for anything else)."""
    key = serialization.load_pem_public_key(pem)
    if not isinstance(key, rsa.RSAPublicKey):
        raise ValueError("the JWT bearer grant needs an RSA public key")
    return key


def grant(form: Mapping[str, str], settings: OAuthSettings, *, now: float) -> tuple[int, dict[str, str]]:
    """(status, body) for one token request; on success the body lacks the token (the server adds it)."""
    kind = form.get("grant_type")
    if kind == "client_credentials":
        known = _same(form.get("client_id", ""), settings.client_id)
        if known and _same(form.get("client_secret", ""), settings.client_secret):
            return 200, {}
        return 400, _error("invalid_client", "invalid client credentials")
    if kind == JWT_GRANT:
        problem = _assertion_problem(form.get("assertion", ""), settings, now=now)
        return (400, _error("invalid_grant", problem)) if problem else (200, {})
    return 400, _error("unsupported_grant_type", "grant type not supported")


def _same(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def _error(code: str, description: str) -> dict[str, str]:
    return {"error": code, "error_description": description}


def _assertion_problem(assertion: str, settings: OAuthSettings, *, now: float) -> str | None:
    """Why the assertion is refused, or None when it is good."""
    if settings.jwt_public_key is None:
        return "this lab has no certificate for the JWT bearer flow"
    parts = assertion.split(".")
    if len(parts) != 3:
        return "invalid assertion"
    try:
        header, claims = _decode(parts[0]), _decode(parts[1])
        signature = _unpad(parts[2])
    except ValueError:
        return "invalid assertion"
    if header.get("alg") != "RS256":
        return "invalid assertion"
    try:
        signed = f"{parts[0]}.{parts[1]}".encode("ascii")
        settings.jwt_public_key.verify(signature, signed, padding.PKCS1v15(), hashes.SHA256())
    except (InvalidSignature, UnicodeEncodeError):
        return "invalid assertion"
    return _claims_problem(claims, settings, now=now)


def _claims_problem(claims: dict[str, Any], settings: OAuthSettings, *, now: float) -> str | None:
    if claims.get("iss") != settings.client_id:
        return "invalid client id"
    if claims.get("aud") != settings.audience:
        return "audience is invalid"
    if not isinstance(claims.get("sub"), str) or not claims["sub"]:
        return "user hasn't approved this consumer"
    expiry = claims.get("exp")
    if not isinstance(expiry, int) or expiry <= now or expiry > now + MAX_LIFETIME_SECONDS:
        return "expired authorization code"
    return None


def _unpad(text: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as error:
        raise ValueError("not base64url") from error


def _decode(text: str) -> dict[str, Any]:
    document = json.loads(_unpad(text))
    if not isinstance(document, dict):
        raise ValueError("not a JSON object")
    return document
