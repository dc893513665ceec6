"""Typed connector options: each connector declares its `--option KEY=VALUE` names once, one parser reads them.

A connector lists its options as `Option` specs in an `OptionSpec` (its class attribute `options`); the
connector calls `spec.parse(target)` before any request. The parser turns the raw strings of
`target.options` into typed values and refuses, with one line naming the platform and the option
(an `InputError`, exit 2):

- a name the platform does not know (with a did-you-mean suggestion);
- a value of the wrong type (`bool`: the option's true/false words; `int`/`float`: a number within
  `low..high`; `enum`: one of `choices`; `str`/`path`: any non-empty text).

Options every HTTP connector understands (`concurrency`, `facts`) are in `COMMON`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, TypeAlias

from crmsec.errors import InputError
from crmsec.spelling import did_you_mean
from crmsec.target import Target

Kind = Literal["bool", "int", "float", "str", "path", "enum"]
Value: TypeAlias = bool | int | float | str | Path | None

TRUE_FALSE = (frozenset({"true"}), frozenset({"false"}))
"""The words of a strict boolean option."""
ON_OFF = (frozenset({"on", "true", "yes", "1"}), frozenset({"off", "false", "no", "0"}))
"""The words of a lenient on/off switch."""


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _default(value: Value) -> str:
    if value is None:
        return "no default"
    return f"default {str(value).lower() if isinstance(value, bool) else value}"


@dataclass(frozen=True)
class Option:
    """One option a connector understands: its name, type, default and a one-line help."""

    name: str
    kind: Kind
    default: Value
    help: str
    low: float | None = None
    high: float | None = None
    choices: tuple[str, ...] = ()
    words: tuple[frozenset[str], frozenset[str]] = TRUE_FALSE

    def expected(self) -> str:
        """What a valid value looks like, for messages and help."""
        if self.kind == "bool":
            return "true or false" if self.words == TRUE_FALSE else "on or off"
        if self.kind in ("int", "float"):
            noun = "a whole number" if self.kind == "int" else "a number"
            if self.low is None or self.high is None:
                return noun
            return f"{noun} from {_number(self.low)} to {_number(self.high)}"
        if self.kind == "enum":
            return "one of " + ", ".join(self.choices)
        return "a path" if self.kind == "path" else "a value"

    def convert(self, raw: str, platform: str) -> Value:
        """The typed value of `raw`; a wrong one is an InputError naming the platform and the option."""
        problem = f"{platform} option {self.name}={raw!r}: expected {self.expected()}"
        text = raw.strip()
        if self.kind == "bool":
            word = text.lower()
            if word in self.words[0] | self.words[1]:
                return word in self.words[0]
            raise InputError(problem)
        if self.kind in ("int", "float"):
            try:
                number: float = int(text) if self.kind == "int" else float(text)
            except ValueError as error:
                raise InputError(problem) from error
            if (self.low is not None and number < self.low) or (self.high is not None and number > self.high):
                raise InputError(problem)
            return number
        if self.kind == "enum":
            if text in self.choices:
                return text
            raise InputError(problem + did_you_mean(text, self.choices))
        if not text:  # `--option facts=` as if not given
            return self.default
        return Path(text) if self.kind == "path" else text


CONCURRENCY = Option("concurrency", "int", 16, "concurrent API calls (and HTTP connections)", low=1, high=64)
FACTS = Option("facts", "path", None, "the deployment facts file (`--facts FILE`)")
COMMON = (CONCURRENCY, FACTS)


@dataclass(frozen=True)
class Options:
    """The typed option values of one target, read through typed accessors."""

    platform: str
    values: Mapping[str, Value]

    def _get(self, name: str) -> Value:
        if name not in self.values:
            raise KeyError(f"{self.platform} declares no option {name!r}")
        return self.values[name]

    def flag(self, name: str) -> bool:
        """A bool option."""
        return bool(self._get(name))

    def number(self, name: str) -> int:
        """An int option."""
        value = self._get(name)
        return int(value) if isinstance(value, int | float) else 0

    def maybe_number(self, name: str) -> int | None:
        """An int option without a default: None when not given."""
        value = self._get(name)
        return int(value) if isinstance(value, int | float) else None

    def real(self, name: str) -> float:
        """A float option."""
        value = self._get(name)
        return float(value) if isinstance(value, int | float) else 0.0

    def text(self, name: str) -> str | None:
        """A str or enum option (None when unset without default)."""
        value = self._get(name)
        return None if value is None else str(value)

    def path(self, name: str) -> Path | None:
        """A path option (None when unset)."""
        value = self._get(name)
        return value if isinstance(value, Path) else None


@dataclass(frozen=True)
class OptionSpec:
    """Every option one platform understands."""

    platform: str
    options: tuple[Option, ...] = field(default=())

    def names(self) -> list[str]:
        """The option names, sorted."""
        return sorted(option.name for option in self.options)

    def parse_raw(self, raw: Mapping[str, str]) -> Options:
        """Typed values for `raw` (name -> text); defaults for the options not given."""
        known = {option.name: option for option in self.options}
        for name in raw:
            if name not in known:
                raise InputError(
                    f"{self.platform} has no option {name!r}{did_you_mean(name, known)}",
                    hint="options: " + ", ".join(self.names()),
                )
        values = {
            name: option.convert(raw[name], self.platform) if name in raw else option.default
            for name, option in known.items()
        }
        return Options(self.platform, values)

    def parse(self, target: Target) -> Options:
        """Typed values for the options of `target`."""
        return self.parse_raw(target.options)

    def help_lines(self) -> list[str]:
        """One line per option: name, type, default and help (for `crmsec platforms`, docs)."""
        return [
            f"{option.name} ({option.expected()}, {_default(option.default)}): {option.help}"
            for option in sorted(self.options, key=lambda option: option.name)
        ]
