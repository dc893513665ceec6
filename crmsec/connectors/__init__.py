"""Connector discovery: the built-in PLATFORMS table plus the `crmsec.connectors` entry-point group.

A new CRM platform is a new distribution declaring
`[project.entry-points."crmsec.connectors"] acme = "acme_crm:AcmeConnector"`, not a change to the core.
"""

from __future__ import annotations

import importlib
from importlib.metadata import entry_points

from crmsec.connectors.base import Connector
from crmsec.errors import InputError
from crmsec.spelling import did_you_mean

PLATFORMS: dict[str, str] = {}
"""Built-in platforms: name -> "module:Class"."""


def _register_builtin(name: str, reference: str) -> None:
    PLATFORMS[name] = reference


_register_builtin("salesforce", "crmsec.connectors.salesforce:SalesforceConnector")
_register_builtin("web", "crmsec.connectors.web:WebConnector")
_register_builtin("bottlecrm", "crmsec.connectors.bottlecrm:BottleCrmConnector")
_register_builtin("tryton", "crmsec.connectors.tryton:TrytonConnector")


def available_platforms() -> dict[str, str]:
    """Every platform name with where its connector comes from (built-in first, then entry points)."""
    found = dict(PLATFORMS)
    for entry in entry_points(group="crmsec.connectors"):
        found.setdefault(entry.name, entry.value)
    return dict(sorted(found.items()))


def load_connector(platform: str) -> Connector:
    """Instantiate the connector for `platform`; an unknown or broken platform is an InputError."""
    reference = available_platforms().get(platform)
    if reference is None:
        names = ", ".join(available_platforms())
        raise InputError(
            f"--platform {platform!r} is unknown{did_you_mean(platform, available_platforms())}",
            hint=f"use one of: {names}",
        )
    module_name, _, attribute = reference.partition(":")
    try:
        module = importlib.import_module(module_name)
        factory = getattr(module, attribute)
    except (ImportError, AttributeError) as error:
        raise InputError(f"connector for {platform!r} ({reference}) cannot be loaded: {error}") from error
    connector: Connector = factory()
    return connector
