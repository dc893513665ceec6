"""Which site a host belongs to: the rule that keeps the web probes' redirects on the target's own site.

A site here is a registrable domain by a simple rule, not the Public Suffix List (no new dependency for
one decision): the last two labels of the host name, or the last three when the second-to-last is a
common second-level label under a two-letter country code (`example.co.uk`, `example.com.cn`). An IP
address or a single-label host (`localhost`) is its own site.

The rule only decides which redirects are followed. Facts drawn from an answer of any other origin stay
unknown whatever it says (`connectors.web.describes_target`), so a site drawn too wide (a shared hosting
suffix such as `herokuapp.com`) costs a harmless request, never a verdict; one drawn too narrow leaves a
fact unknown.
"""

from __future__ import annotations

import ipaddress
from typing import Final

import httpx

from crmsec.connectors.http import RedirectFilter

SECOND_LEVEL_LABELS: Final = frozenset(
    {"ac", "co", "com", "edu", "go", "gob", "gov", "ltd", "mil", "ne", "net", "nic", "or", "org", "plc", "sch"}
)
"""Labels that, under a two-letter country code, are a public suffix of their own (`co.uk`, `com.cn`)."""


def registrable_domain(host: str) -> str:
    """The site `host` belongs to, by the simple rule of the module docstring."""
    name = host.lower().rstrip(".")
    if _is_ip_address(name) or "." not in name:
        return name
    labels = name.split(".")
    country_suffix = len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in SECOND_LEVEL_LABELS
    return ".".join(labels[-3:] if country_suffix else labels[-2:])


def _is_ip_address(name: str) -> bool:
    try:
        ipaddress.ip_address(name.strip("[]"))
    except ValueError:
        return False
    return True


def within_site(url: str) -> RedirectFilter:
    """A redirect filter for `connectors.http.request`: follow only hops within the site of `url`."""
    site = registrable_domain(httpx.URL(url).host)  # the same (IDNA-decoded) form as the hops' hosts
    return lambda target: registrable_domain(target.host) == site
