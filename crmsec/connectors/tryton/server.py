"""The server side of Tryton: its configuration file and what its HTTP answers show.

Tryton keeps its security settings in the server's configuration file (`trytond.conf`, `[password]` and
`[session]` sections, `trytond/config.py`), and no RPC call exposes them. The operator may pass that file as
option `config=PATH` (the scanner then runs where the file is readable); values built from it say
`"source": "config_file"`. Without it the settings are `null` (`"source": "unknown"`) and their checks
answer MANUAL. Settings overridden through `TRYTOND_<SECTION>__<OPTION>` environment variables cannot be
seen from the file: docs/tryton.md says so.

Read from the file (anything else in it, such as database URIs or mail credentials, is never read out):

| setting | default (trytond 8.2) | evidence |
|---|---|---|
| `[password] length` | 8 | `auth.password_policy.min_length` |
| `[password] forbidden` | none | `auth.password_policy.forbidden_list` |
| `[session] max_attempt` | 5 | `auth.password_policy.max_login_attempts` (max_attempt + 1 failures lock) |
| `[session] timeout` | 300 s | `auth.session_settings.idle_timeout_minutes`, `lockout_minutes` |
| `[session] max_age` | 30 days | `auth.session_settings.absolute_timeout_minutes` |
| `[session] authentications` | `password` | `auth.mfa` (every method combined with a second factor) |
| `[ssl] certificate`, `privatekey` | unset | `auth.session_settings.https_required` |

Facts of trytond itself (the source of 8.2, not configurable): no character-class rule, no password history
and no password expiry; sessions are bound to the client's IP address (`ir/session.py`); the session cookie
is Secure, HttpOnly and SameSite=Strict (`protocols/wrappers.py`).
"""

from __future__ import annotations

import configparser
import ipaddress
from dataclasses import dataclass, field
from pathlib import Path

from crmsec import files
from crmsec.connectors.http import HttpResponse
from crmsec.errors import InputError
from crmsec.vocabulary import JsonValue

CONFIG_LIMIT = 1024 * 1024
CONFIG_SOURCE = "config_file"
UNKNOWN_SOURCE = "unknown"
DEFAULTS: dict[tuple[str, str], str] = {
    ("password", "length"): "8",
    ("session", "timeout"): str(60 * 5),
    ("session", "max_age"): str(60 * 60 * 24 * 30),
    ("session", "max_attempt"): "5",
    ("session", "authentications"): "password",
}
"""trytond 8.2's built-in defaults (`trytond/config.py`), which apply when the file does not set a value."""
READ: tuple[tuple[str, str], ...] = (
    ("password", "length"),
    ("password", "forbidden"),
    ("session", "timeout"),
    ("session", "max_age"),
    ("session", "max_attempt"),
    ("session", "authentications"),
    ("session", "authentication_ip_network"),
    ("ssl", "certificate"),
    ("ssl", "privatekey"),
)
SECOND_FACTORS = frozenset({"sms", "totp", "webauthn", "email"})


@dataclass(frozen=True, slots=True)
class ServerConfig:
    """The settings read from the server's configuration file (only the READ ones), or none without a file."""

    values: dict[tuple[str, str], str] = field(default_factory=dict)
    source_name: str | None = None

    @property
    def present(self) -> bool:
        """True when a configuration file was given."""
        return self.source_name is not None

    @property
    def source(self) -> str:
        """`config_file` or `unknown`."""
        return CONFIG_SOURCE if self.present else UNKNOWN_SOURCE

    def text(self, section: str, option: str) -> str | None:
        """The value in effect (file, else trytond's default); None without a file."""
        if not self.present:
            return None
        return self.values.get((section, option), DEFAULTS.get((section, option)))

    def number(self, section: str, option: str) -> int | None:
        """An integer setting; a value that is not one is an InputError naming the setting."""
        raw = self.text(section, option)
        if raw is None:
            return None
        try:
            return int(raw.strip())
        except ValueError as error:
            raise InputError(f"config file {self.source_name}: [{section}] {option} is not a whole number") from error


def load_config(path: Path | None) -> ServerConfig:
    """Read the READ settings of a trytond configuration file; problems raise InputError naming the file."""
    if path is None:
        return ServerConfig()
    data = files.read_regular(path, limit=CONFIG_LIMIT, error=lambda message: InputError(f"config file {message}"))
    parser = configparser.RawConfigParser(interpolation=None)
    try:
        parser.read_string(data.decode("utf-8"), source=path.name)
    except (UnicodeDecodeError, configparser.Error) as error:
        raise InputError(f"config file {path}: not a trytond configuration file ({type(error).__name__})") from error
    values = {
        (section, option): parser.get(section, option) for section, option in READ if parser.has_option(section, option)
    }
    return ServerConfig(values=values, source_name=path.name)


def _minutes(seconds: int | None) -> int | None:
    return None if seconds is None else -(-seconds // 60)


def password_policy(config: ServerConfig) -> dict[str, JsonValue]:
    """`auth.password_policy`: length, lockout and forbidden list from the file; trytond's fixed facts."""
    attempts = config.number("session", "max_attempt")
    forbidden = config.text("password", "forbidden")
    return {
        "min_length": config.number("password", "length"),
        "complexity": "none",
        "history_count": 0,
        "expiration_days": 0,
        "max_login_attempts": None if attempts is None else max(attempts, 0) + 1,
        "lockout_minutes": _minutes(config.number("session", "timeout")),
        "forbidden_list": None if not config.present else bool(forbidden and forbidden.strip()),
        "source": config.source,
    }


def https_required(config: ServerConfig) -> bool | None:
    """True when the server itself only speaks TLS (`[ssl]` certificate and key set)."""
    if not config.present:
        return None
    return bool(config.text("ssl", "certificate")) and bool(config.text("ssl", "privatekey"))


def session_settings(
    config: ServerConfig, *, root: HttpResponse | None, foreign_origin_refused: bool | None
) -> dict[str, JsonValue]:
    """`auth.session_settings` from the file, the root answer's headers and the foreign-origin probe."""
    clickjack: bool | None = None
    if root is not None:
        policy = root.headers.get("content-security-policy", "")
        clickjack = bool(root.headers.get("x-frame-options")) or "frame-ancestors" in policy
    return {
        "idle_timeout_minutes": _minutes(config.number("session", "timeout")),
        "absolute_timeout_minutes": _minutes(config.number("session", "max_age")),
        "lock_sessions_to_ip": True,
        "lock_sessions_to_domain": None,
        "https_required": https_required(config),
        "clickjack_protection": clickjack,
        "http_only_cookies": True,
        "csrf_protection": foreign_origin_refused,
        "force_logout_on_timeout": None,
        "source": config.source,
    }


def mfa(config: ServerConfig) -> dict[str, JsonValue]:
    """`auth.mfa` from `[session] authentications`: enforced when every alternative adds a second factor.

    An alternative is `method+method...` (`trytond/res/user.py` get_login). A factor with options may be
    skipped: `?device_cookie` skips it on any remembered device, so it does not count; `?ip_address` skips it
    only for sign-ins from `[session] authentication_ip_network`, so it counts when each of those networks
    is narrow (at most 256 IPv4 addresses or one IPv6 /64), like a short list of office or scanner hosts.
    """
    raw = config.text("session", "authentications")
    if raw is None:
        return {"enforced_for_all": None, "enforced_for_admins": None, "enforcement": None, "methods": None,
                "exempt_networks": None, "source": config.source}  # fmt: skip
    alternatives = [entry.strip() for entry in raw.split(",") if entry.strip()]
    networks = _exempt_networks(config)
    narrow = all(_narrow(network) for network in networks)
    enforced = bool(alternatives) and all(
        any(_enforces(step, narrow_exemptions=narrow) for step in alternative.split("+")[1:])
        for alternative in alternatives
    )
    return {"enforced_for_all": enforced, "enforced_for_admins": enforced, "enforcement": "org" if enforced else None,
            "methods": [*alternatives], "exempt_networks": [str(network) for network in networks],
            "source": config.source}  # fmt: skip


def _enforces(step: str, *, narrow_exemptions: bool) -> bool:
    method, _, options = step.partition("?")
    if method.strip() not in SECOND_FACTORS:
        return False
    skips = {option.strip() for option in options.split(":") if option.strip()}
    return not skips or (skips == {"ip_address"} and narrow_exemptions)


def _exempt_networks(config: ServerConfig) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    raw = config.text("session", "authentication_ip_network") or ""
    try:
        return [ipaddress.ip_network(entry.strip(), strict=False) for entry in raw.split(",") if entry.strip()]
    except ValueError as error:
        raise InputError(
            f"config file {config.source_name}: [session] authentication_ip_network is not a list of networks"
        ) from error


def _narrow(network: ipaddress.IPv4Network | ipaddress.IPv6Network) -> bool:
    return network.num_addresses <= 256 if network.version == 4 else network.prefixlen >= 64
