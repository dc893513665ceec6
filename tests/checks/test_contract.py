"""Every built-in check honours the contract: valid metadata, a framework mapping, tests with fixtures."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from crmsec.checkdocs import render_docs
from crmsec.plugin import AREA_OF_DIMENSION
from crmsec.registry import load_catalogue

ROOT = Path(__file__).parent.parent.parent
CATALOGUE = load_catalogue(plugins=False)
SPECS = sorted(CATALOGUE.checks.values(), key=lambda spec: spec.id)


def test_catalogue_loads_cleanly() -> None:
    assert CATALOGUE.problems == []
    assert len(SPECS) >= 1


@pytest.mark.parametrize("spec", SPECS, ids=lambda spec: spec.id)
def test_check_contract(spec) -> None:
    assert spec.id.startswith(f"CRM-{AREA_OF_DIMENSION[spec.dimension]}-")
    assert spec.frameworks, "every built-in check maps to at least one framework control"
    assert spec.slug and spec.rationale and spec.remediation
    source = ROOT / "checks" / str(spec.dimension) / f"{spec.slug}.py"
    assert source.exists() or (ROOT / "checks" / str(spec.dimension) / f"{spec.slug}.yaml").exists()
    fixtures = ROOT / "tests" / "checks" / str(spec.dimension) / spec.slug
    for case in ("pass", "fail", "missing"):
        assert (fixtures / f"{case}.json").exists(), (
            f"{spec.id} lacks tests/checks/{spec.dimension}/{spec.slug}/{case}.json"
        )


def test_slugs_are_unique() -> None:
    slugs = [spec.slug for spec in SPECS]
    assert len(slugs) == len(set(slugs))


def test_generated_docs_are_current() -> None:
    folder = ROOT / "docs" / "checks"
    for name, text in render_docs().items():
        path = folder / name
        assert path.exists() and path.read_text(encoding="utf-8") == text, f"docs/checks/{name} is stale: run make docs"


PARAMETER_NAMES = frozenset(name for spec in SPECS for name in spec.params)


@pytest.mark.parametrize("spec", SPECS, ids=lambda spec: spec.id)
def test_texts_name_only_the_checks_own_parameters(spec) -> None:
    """A remediation that says "tune warn_below" must be about a check that has warn_below."""
    words = set(re.findall(r"\b[a-z]+(?:_[a-z0-9]+)+\b", f"{spec.rationale} {spec.remediation}"))
    assert sorted(words & PARAMETER_NAMES - set(spec.params)) == []
