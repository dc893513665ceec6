"""The check kit's shared bodies: threshold limits, metric thresholds, refused protocols, enabled settings."""

from __future__ import annotations

from typing import Any

import pytest

from crmsec.errors import EvidenceError
from crmsec.plugin import (
    DATA_SAMPLES,
    IDENTITY_PROFILES,
    METRICS_COMPUTED,
    TLS_SCAN,
    WELL_KNOWN_PII_OBJECTS,
    Evidence,
    Limits,
    Status,
    admin_profiles,
    metric_threshold,
    metric_value,
    objects_with_pii,
    protocol_refused,
    requirements_met,
    scanned_certificate,
    setting_enabled,
)


def metrics(**values: Any) -> Evidence:
    return Evidence({METRICS_COMPUTED: values}, [METRICS_COMPUTED])


@pytest.mark.parametrize(
    ("limits", "value", "status"),
    [
        (Limits.above(2, 5), 1, Status.PASS),
        (Limits.above(2, 5), 2, Status.PASS),
        (Limits.above(2, 5), 2.5, Status.WARN),
        (Limits.above(2, 5), 5, Status.WARN),
        (Limits.above(2, 5), 5.1, Status.FAIL),
        (Limits.below(90, 70), 95, Status.PASS),
        (Limits.below(90, 70), 90, Status.PASS),
        (Limits.below(90, 70), 80, Status.WARN),
        (Limits.below(90, 70), 70, Status.WARN),
        (Limits.below(90, 70), 69, Status.FAIL),
    ],
)
def test_limits_keep_the_threshold_itself_on_the_good_side(limits: Limits, value: float, status: Status) -> None:
    assert limits.status(value) is status


def test_limits_read_as_their_parameters() -> None:
    assert Limits.above(0.5, 1).text() == "warn above 0.5, fail above 1"
    assert Limits.below(99.5, 99).details() == {"warn_below": 99.5, "fail_below": 99}


def test_metric_threshold_reports_value_limits_source_and_objects() -> None:
    by_object = {f"Object{index:02d}": index for index in range(25)}
    evidence = metrics(rate={"value": 3, "source": "sampled", "details": {"by_object": by_object}})
    [finding] = metric_threshold(evidence, "rate", Limits.above(2, 5), label="Rate", unit="%", undefined="-")
    assert (finding.status, finding.resource) == (Status.WARN, "organization")
    assert finding.message == "Rate is 3% (warn above 2, fail above 5)."
    assert list(finding.details) == ["metric", "actual", "warn_above", "fail_above", "source", "by_object"]
    assert finding.details["metric"] == "rate"  # the reports link the metric to this verdict by its id
    assert finding.details["by_object"] == {f"Object{index:02d}": index for index in range(20)}


def test_an_undefined_metric_is_not_applicable() -> None:
    [finding] = metric_threshold(
        metrics(rate={"value": None}), "rate", Limits.below(1, 0), label="Rate", undefined="Nothing was sampled."
    )
    assert (finding.status, finding.message, dict(finding.details)) == (
        Status.NOT_APPLICABLE,
        "Nothing was sampled.",
        {},
    )


@pytest.mark.parametrize("record", [7, {"value": "3"}, {"value": True}])
def test_a_missing_or_non_numeric_metric_is_unusable_evidence(record: object) -> None:
    with pytest.raises(EvidenceError, match="rate"):
        metric_value(metrics(rate=record), "rate")
    with pytest.raises(EvidenceError):
        metric_value(metrics(), "rate")


def tls(**protocols: object) -> Evidence:
    scan = {"reachable": True, "host": "crm.example.test", "port": 443, "protocols": protocols}
    scan["cipher_suites"] = {"tls_1_1": ["TLS_RSA_WITH_AES_128_CBC_SHA"]}
    return Evidence({TLS_SCAN: scan}, [TLS_SCAN])


def test_protocol_refused() -> None:
    [accepted] = protocol_refused(tls(tls_1_1=True), "tls_1_1")
    assert (accepted.status, accepted.resource, accepted.message) == (
        Status.FAIL,
        "crm.example.test:443",
        "Server accepts TLS 1.1.",
    )
    assert accepted.details == {"accepted": True, "cipher_suites": ["TLS_RSA_WITH_AES_128_CBC_SHA"]}
    [refused] = protocol_refused(tls(tls_1_0=False), "tls_1_0")
    assert (refused.status, refused.message, refused.details["cipher_suites"]) == (
        Status.PASS,
        "Server refuses TLS 1.0.",
        [],
    )


def test_an_unmeasured_protocol_is_never_refused() -> None:
    with pytest.raises(EvidenceError, match="tls_1_0 was not measured"):
        protocol_refused(tls(tls_1_0=None), "tls_1_0")


def settings(value: object) -> Evidence:
    return Evidence({"auth.session_settings": {"csrf_protection": value}}, ["auth.session_settings"])


@pytest.mark.parametrize(
    ("value", "when_disabled", "status", "message"),
    [
        (True, Status.FAIL, Status.PASS, "on"),
        (False, Status.FAIL, Status.FAIL, "off"),
        (False, Status.WARN, Status.WARN, "off"),
        (None, Status.FAIL, Status.MANUAL, "unknown"),
    ],
)
def test_setting_enabled(value: object, when_disabled: Status, status: Status, message: str) -> None:
    [finding] = setting_enabled(
        settings(value),
        "auth.session_settings",
        "csrf_protection",
        enabled="on",
        disabled="off",
        unexposed="unknown",
        when_disabled=when_disabled,
    )
    assert (finding.status, finding.message, finding.details["actual"]) == (status, message, value)


def test_a_non_boolean_setting_is_unusable_evidence() -> None:
    with pytest.raises(EvidenceError, match="should be a boolean"):
        setting_enabled(
            settings("yes"), "auth.session_settings", "csrf_protection", enabled="", disabled="", unexposed=""
        )


def test_scanned_certificate() -> None:
    evidence = tls(tls_1_2=True)
    with pytest.raises(EvidenceError, match="no certificate was retrieved"):
        scanned_certificate(evidence)
    scan = {"reachable": True, "host": "crm.example.test", "port": 443, "certificate": {"trusted": True}}
    assert scanned_certificate(Evidence({TLS_SCAN: scan}, [TLS_SCAN])) == ("crm.example.test:443", {"trusted": True})
    with pytest.raises(EvidenceError, match="not reachable"):
        scanned_certificate(Evidence({TLS_SCAN: {**scan, "reachable": False}}, [TLS_SCAN]))


def test_admin_profiles() -> None:
    profiles = [{"name": "System Administrator", "is_admin": True}, {"name": "Standard User", "is_admin": False}]
    assert admin_profiles(Evidence({IDENTITY_PROFILES: profiles}, [IDENTITY_PROFILES])) == {"System Administrator"}
    with pytest.raises(EvidenceError, match="is_admin"):
        admin_profiles(Evidence({IDENTITY_PROFILES: [{"name": "Guest"}]}, [IDENTITY_PROFILES]))


def requirements(*items: tuple[str, str]) -> Evidence:
    listed = [
        {"id": f"R{index}", "title": "Feature", "priority": priority, "status": status, "how": "evidence"}
        for index, (priority, status) in enumerate(items, 1)
    ]
    metric = {"value": 50.0, "details": {"requirements": listed}}
    return Evidence({METRICS_COMPUTED: {"requirements_coverage": metric}}, [METRICS_COMPUTED])


def test_requirements_met_judges_only_its_priority() -> None:
    evidence = requirements(("must", "met"), ("must", "partial"), ("should", "missing"), ("must", "unknown"))
    findings = requirements_met(evidence, "must", unmet=Status.FAIL)
    assert [(f.resource, f.status) for f in findings] == [
        ("R1", Status.PASS),
        ("R2", Status.FAIL),
        ("R4", Status.MANUAL),
    ]
    assert findings[1].message == "R2 Feature: partial (evidence)."
    [should] = requirements_met(evidence, "should", unmet=Status.WARN)
    assert (should.resource, should.status) == ("R3", Status.WARN)
    [none] = requirements_met(evidence, "could", unmet=Status.WARN)
    assert (none.status, none.message) == (Status.NOT_APPLICABLE, "requirements.yaml lists no could-have requirement.")


def samples(*rows: object) -> Evidence:
    return Evidence({DATA_SAMPLES: list(rows)}, [DATA_SAMPLES])


def test_objects_with_pii() -> None:
    assert objects_with_pii(Evidence({}, [DATA_SAMPLES])) is None
    found = samples(
        {"object": "Contact", "field": "Email", "detections": {"email": 3}},
        {"object": "Account", "field": "Name", "detections": {"email": 0}},
        {"object": "Lead", "field": "Notes", "detections": None},
    )
    assert objects_with_pii(found) == {"Contact"}
    with pytest.raises(EvidenceError, match="detections should be an object"):
        objects_with_pii(samples({"object": "Contact", "detections": [1]}))
    assert "Contact" in WELL_KNOWN_PII_OBJECTS
