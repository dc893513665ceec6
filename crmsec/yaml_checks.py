"""Declarative checks in YAML, for people who do not write Python.

```yaml
id: ACME-AUTH-001
title: Passwords are long enough
dimension: authentication
severity: high
rationale: Short passwords fall to guessing.
remediation: Raise the minimum password length.
frameworks: {iso27001_2022: [A.5.17]}
requires: [auth.password_policy]
params: {min_length: 14}
condition:
  evidence: auth.password_policy     # which evidence key the query reads
  for_each: null                     # optional JMESPath giving a list; the test runs per element
  resource: organization             # a literal, or `jmespath:<expr>` evaluated per element
  query: min_length                  # JMESPath over the value (or the element)
  op: ">="                           # == != < <= > >= in not_in contains truthy falsy empty not_empty
  value: {param: min_length}         # a literal, or {param: NAME}
  else: FAIL                         # the status when the test does not hold (FAIL or WARN)
message: "minimum length is {actual}, expected {op} {expected}"
```
A query that yields nothing (null) cannot decide: the finding is an ERROR (evidence_unusable), never PASS.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import jmespath
import jsonschema
from jmespath.exceptions import JMESPathError
from jsonschema.exceptions import best_match

from crmsec import resources
from crmsec.errors import EvidenceError, PluginError
from crmsec.plugin import CheckSpec, Dimension, Evidence, Finding, JsonValue, Severity, Status
from crmsec.safe_yaml import load_yaml_file

_OPERATORS: Mapping[str, Callable[[Any, Any], bool]] = {
    "==": lambda actual, expected: bool(actual == expected),
    "!=": lambda actual, expected: bool(actual != expected),
    "<": lambda actual, expected: bool(actual < expected),
    "<=": lambda actual, expected: bool(actual <= expected),
    ">": lambda actual, expected: bool(actual > expected),
    ">=": lambda actual, expected: bool(actual >= expected),
    "in": lambda actual, expected: actual in expected,
    "not_in": lambda actual, expected: actual not in expected,
    "contains": lambda actual, expected: expected in actual,
    "truthy": lambda actual, _expected: bool(actual),
    "falsy": lambda actual, _expected: not actual,
    "empty": lambda actual, _expected: len(actual) == 0,
    "not_empty": lambda actual, _expected: len(actual) > 0,
}


def load_yaml_check(path: Path) -> CheckSpec:
    """Load and validate one YAML check; PluginError names the file and field on any problem."""
    document = load_yaml_file(path, error=PluginError)
    problem = best_match(jsonschema.Draft202012Validator(resources.schema("yaml_check")).iter_errors(document))
    if problem is not None:
        location = "/".join(str(part) for part in problem.absolute_path) or "(top)"
        raise PluginError(f"{path}: {location}: {problem.message}")
    condition = document["condition"]
    try:
        queries = {name: jmespath.compile(condition[name]) for name in ("query", "for_each") if condition.get(name)}
        resource = str(condition.get("resource", "organization"))
        if resource.startswith("jmespath:"):
            queries["resource"] = jmespath.compile(resource.removeprefix("jmespath:"))
    except JMESPathError as error:
        raise PluginError(f"{path}: condition: invalid JMESPath: {error}") from error
    function = _make_function(document, queries)
    requires = tuple(document.get("requires") or [condition["evidence"]])
    return CheckSpec(
        id=document["id"],
        title=document["title"],
        dimension=Dimension(document["dimension"]),
        severity=Severity(document["severity"]),
        rationale=document["rationale"],
        remediation=document["remediation"],
        function=function,
        requires=requires,
        params=dict(document.get("params") or {}),
        frameworks={name: tuple(ids) for name, ids in (document.get("frameworks") or {}).items()},
        references=tuple(document.get("references") or ()),
        platforms=tuple(document.get("platforms") or ()),
        slug=path.stem,
    )


def _make_function(document: dict[str, Any], queries: dict[str, Any]) -> Callable[..., list[Finding]]:
    condition = document["condition"]
    operator = _OPERATORS[condition["op"]]
    failing = Status(condition.get("else", "FAIL"))
    template = str(document.get("message", "{actual} {op} {expected}: {outcome}"))

    def run(evidence: Evidence, **params: JsonValue) -> list[Finding]:
        value = evidence.value(condition["evidence"])
        expected = condition.get("value")
        if isinstance(expected, dict) and "param" in expected:
            expected = params[expected["param"]]
        elements = [value] if "for_each" not in queries else queries["for_each"].search(value)
        if not isinstance(elements, list):
            raise EvidenceError(f"{condition['evidence']}: for_each did not give a list")
        findings = []
        for element in elements:
            resource = queries["resource"].search(element) if "resource" in queries else condition.get("resource")
            actual = queries["query"].search(element) if "query" in queries else element
            if actual is None:
                raise EvidenceError(f"{condition['evidence']}: {condition.get('query')} gave no value")
            try:
                holds = operator(actual, expected)
            except TypeError as error:
                raise EvidenceError(f"{condition['evidence']}: cannot compare {actual!r}: {error}") from error
            status = Status.PASS if holds else failing
            values = {"actual": actual, "expected": expected, "op": condition["op"], "outcome": status.value}
            findings.append(
                Finding(
                    status,
                    resource=str(resource or "organization"),
                    message=template.format(**values),
                    details={"actual": actual, "expected": expected},
                )
            )
        return findings

    return run
