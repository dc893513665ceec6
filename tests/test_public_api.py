"""The public surface is deliberate: adding or removing a name is a visible change."""

from __future__ import annotations

import crmsec
import crmsec.plugin


def test_top_level_api() -> None:
    assert sorted(crmsec.__all__) == [
        "Catalogue", "EvaluationOptions", "EvidenceSnapshot", "Profile", "Report", "Secret", "Target",
        "__version__", "assess", "check_snapshot", "collect", "evaluate", "load_catalogue", "load_profile",
        "load_report", "load_snapshot", "save_snapshot",
    ]  # fmt: skip
    for name in crmsec.__all__:
        assert hasattr(crmsec, name)


def test_check_author_api() -> None:
    for name in (
        "check",
        "Finding",
        "Status",
        "Severity",
        "Dimension",
        "Evidence",
        "EvidenceError",
        "field_of",
        "pii_fields",
        "schema_fields",
        "reachable_tls_scan",
        "protocol_accepted",
    ):
        assert name in crmsec.plugin.__all__
        assert hasattr(crmsec.plugin, name)
