"""The shared vocabulary is defined once, in the leaf module `crmsec.vocabulary`."""

from __future__ import annotations

import ast
from pathlib import Path

import crmsec.plugin
import crmsec.vocabulary
from crmsec.vocabulary import FAILING_STATUSES, Status

ROOT = Path(__file__).parent.parent
FAILING_NAMES = frozenset({"FAIL", "WARN", "ERROR"})


def _status_names(node: ast.expr) -> frozenset[str] | None:
    """The status names a set/tuple/list literal (or frozenset(...) of one) spells out, else None."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("frozenset", "set"):
        return _status_names(node.args[0]) if len(node.args) == 1 else None
    if not isinstance(node, ast.Set | ast.Tuple | ast.List) or not node.elts:
        return None
    names = set()
    for element in node.elts:
        if isinstance(element, ast.Attribute) and isinstance(element.value, ast.Name) and element.value.id == "Status":
            names.add(element.attr)
        elif isinstance(element, ast.Constant) and isinstance(element.value, str):
            names.add(element.value)
        else:
            return None
    return frozenset(names)


def _sets_in(tree: ast.AST) -> list[ast.expr]:
    """Set literals, set()/frozenset() calls, and the tuples or lists tested with `in` (orders are not sets)."""
    found: list[ast.expr] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Set | ast.Call):
            found.append(node)
        elif isinstance(node, ast.Compare):
            found.extend(
                right
                for op, right in zip(node.ops, node.comparators, strict=True)
                if isinstance(op, ast.In | ast.NotIn)
            )
    return found


def failing_status_definitions(path: Path, source: str | None = None) -> list[str]:
    """Where a file spells out the failing statuses itself, as \"path:line\"."""
    tree = ast.parse(path.read_text(encoding="utf-8") if source is None else source)
    lines = {node.lineno for node in _sets_in(tree) if _status_names(node) == FAILING_NAMES}
    return [f"{path.relative_to(ROOT)}:{line}" for line in sorted(lines)]


def test_failing_statuses_are_defined_once() -> None:
    found = [line for path in sorted((ROOT / "crmsec").rglob("*.py")) for line in failing_status_definitions(path)]
    assert [line.split(":")[0] for line in found] == ["crmsec/vocabulary.py"]


def test_a_second_definition_is_caught() -> None:
    planted = ROOT / "crmsec/render/planted.py"
    for source in (
        "FAILING = {Status.FAIL, Status.WARN, Status.ERROR}\n",
        "def f(s):\n    return s in (Status.FAIL, Status.ERROR, Status.WARN)\n",
        "REPORTED = frozenset({'FAIL', 'WARN', 'ERROR'})\n",
    ):
        assert failing_status_definitions(planted, source) != [], source
    assert failing_status_definitions(planted, "ACTIONABLE = {Status.FAIL, Status.WARN}\n") == []
    assert failing_status_definitions(planted, "ORDER = (Status.FAIL, Status.ERROR, Status.WARN)\n") == []


def test_failing_statuses() -> None:
    assert {Status.FAIL, Status.WARN, Status.ERROR} == FAILING_STATUSES
    assert Status.WAIVED not in FAILING_STATUSES


def test_the_plugin_api_re_exports_the_same_objects() -> None:
    for name in crmsec.vocabulary.__all__:
        assert getattr(crmsec.plugin, name) is getattr(crmsec.vocabulary, name), name
