"""The one connector-option parser: typed values, one-line errors naming platform and option, did-you-mean."""

from __future__ import annotations

from pathlib import Path

import pytest

from crmsec.connectors import load_connector
from crmsec.connectors.options import ON_OFF, Option, OptionSpec
from crmsec.errors import InputError

SPEC = OptionSpec(
    "demo",
    (
        Option("sample_size", "int", 50, "records", low=1, high=500),
        Option("share", "float", 0.5, "share", low=0.01, high=1),
        Option("strict", "bool", False, "strict"),
        Option("probe", "bool", True, "probe", words=ON_OFF),
        Option("auth", "enum", "pat", "auth", choices=("pat", "jwt")),
        Option("config", "path", None, "config"),
    ),
)


def test_values_are_typed_and_defaults_fill_the_rest() -> None:
    options = SPEC.parse_raw(
        {"sample_size": "7", "share": "0.25", "strict": "TRUE", "probe": "off", "config": "a.conf"}
    )
    assert options.number("sample_size") == 7 and options.real("share") == 0.25
    assert options.flag("strict") is True and options.flag("probe") is False
    assert options.path("config") == Path("a.conf") and options.text("auth") == "pat"
    assert SPEC.parse_raw({}).number("sample_size") == 50


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"sample_size": "lots"}, "demo option sample_size='lots': expected a whole number from 1 to 500"),
        ({"sample_size": "0"}, "demo option sample_size='0': expected a whole number from 1 to 500"),
        ({"share": "2"}, "demo option share='2': expected a number from 0.01 to 1"),
        ({"strict": "yes"}, "demo option strict='yes': expected true or false"),
        ({"probe": "maybe"}, "demo option probe='maybe': expected on or off"),
        ({"auth": "jwd"}, "demo option auth='jwd': expected one of pat, jwt"),
    ],
)
def test_a_bad_value_is_one_line_naming_platform_and_option(raw: dict[str, str], message: str) -> None:
    with pytest.raises(InputError) as caught:
        SPEC.parse_raw(raw)
    assert str(caught.value).startswith(message) and "\n" not in str(caught.value)


def test_an_unknown_name_is_refused_with_a_suggestion() -> None:
    with pytest.raises(InputError, match=r"demo has no option 'sample_sise'.*sample_size"):
        SPEC.parse_raw({"sample_sise": "5"})


@pytest.mark.parametrize("platform", ["salesforce", "web", "bottlecrm", "tryton"])
def test_every_builtin_connector_declares_its_options(platform: str) -> None:
    spec = load_connector(platform).options  # type: ignore[attr-defined]
    assert isinstance(spec, OptionSpec) and spec.platform == platform
    assert {"concurrency", "facts"} <= set(spec.names())
    with pytest.raises(InputError, match=f"{platform} has no option 'concurrrency'.*concurrency"):
        spec.parse_raw({"concurrrency": "4"})
