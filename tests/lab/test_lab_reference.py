"""The lab against Salesforce's reference: same shapes as the reference fixtures, and a German org scans alike.

tests/fixtures/salesforce_reference holds response bodies written from the published reference. Here the lab
answers the same calls, and its answers must have the same shape (keys, JSON types, nesting; XML element
paths and value kinds), so the lab cannot drift into shapes a real org never sends. The German variant
(`LabConfig(locale="de")`) translates every Health Check label and value; a connector that matched on them
would decide differently, so every check must decide exactly as on the English org.
"""

from __future__ import annotations

import json
import re
import ssl
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.etree import ElementTree
from xml.sax.saxutils import escape

import httpx
import pytest

from crmsec import engine
from crmsec.connectors.salesforce import external_apps
from crmsec.connectors.salesforce.connector import QUERIES, TOOLING
from crmsec.connectors.salesforce.identity import user_query
from crmsec.errors import InputError
from crmsec.evidence import EvidenceSnapshot
from crmsec.lab import Lab, LabConfig, start_lab
from crmsec.lab.metadata import APP_NAMES
from crmsec.target import Secret, Target

pytestmark = pytest.mark.integration
FIXTURES = Path(__file__).parents[1] / "fixtures" / "salesforce_reference"
VERSION = "v62.0"
Shape = Any


def shape(value: Any) -> Shape:
    """The shape of a JSON value: dicts by key, lists by the merged shape of their items, scalars by kind."""
    if isinstance(value, dict):
        return {key: shape(item) for key, item in value.items()}
    if isinstance(value, list):
        merged: Shape = None
        for item in value:
            merged = _merge(merged, shape(item))
        return [merged]
    if value is None:
        return None  # nillable: compatible with any kind
    if isinstance(value, bool):
        return "boolean"
    return "number" if isinstance(value, int | float) else "string"


def _merge(first: Shape, second: Shape) -> Shape:
    if first is None:
        return second
    if isinstance(first, dict) and isinstance(second, dict):
        return {key: _merge(first.get(key), second.get(key)) for key in first.keys() | second.keys()}
    return first


def differences(reference: Shape, actual: Shape, path: str = "$", *, subset: bool = False) -> list[str]:
    """Where `actual` departs from `reference` (with `subset`, `actual` may lack keys but not add any)."""
    if reference is None or actual is None:
        return []
    if isinstance(reference, dict) and isinstance(actual, dict):
        found = [f"{path}.{key}: not in the reference" for key in sorted(actual.keys() - reference.keys())]
        if not subset:
            found += [f"{path}.{key}: missing" for key in sorted(reference.keys() - actual.keys())]
        for key in sorted(reference.keys() & actual.keys()):
            found += differences(reference[key], actual[key], f"{path}.{key}", subset=subset)
        return found
    if isinstance(reference, list) and isinstance(actual, list):
        return differences(reference[0], actual[0], f"{path}[]", subset=subset)
    return [] if reference == actual else [f"{path}: {actual} where the reference has {reference}"]


def xml_shape(content: bytes, under: str = "{http://soap.sforce.com/2006/04/metadata}records") -> dict[str, str]:
    """Element path -> kind of its text (boolean, integer, text, or `element` for a parent) below `under`."""
    root = ElementTree.fromstring(content)
    paths: dict[str, str] = {}

    def walk(element: ElementTree.Element, path: str) -> None:
        children = list(element)
        if children:
            paths[path] = "element"
            for child in children:
                walk(child, f"{path}/{child.tag.rsplit('}', 1)[-1]}")
            return
        text = (element.text or "").strip()
        paths[path] = "boolean" if text in ("true", "false") else ("integer" if text.isdigit() else "text")

    for top in root.iter(under):
        walk(top, under.rsplit("}", 1)[-1])
    return paths


def envelope(session: str, kind: str, names: list[str]) -> bytes:
    full_names = "".join(f"<met:fullNames>{escape(name)}</met:fullNames>" for name in names)
    return (
        '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope '
        'xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:met="http://soap.sforce.com/2006/04/metadata">'
        f"<soapenv:Header><met:SessionHeader><met:sessionId>{session}</met:sessionId></met:SessionHeader>"
        f"</soapenv:Header><soapenv:Body><met:readMetadata><met:type>{kind}</met:type>{full_names}"
        "</met:readMetadata></soapenv:Body></soapenv:Envelope>"
    ).encode()


@pytest.fixture(scope="module")
def lab() -> Iterator[Lab]:
    with start_lab(LabConfig(scenario="hardened", users=250, contacts=20)) as running:
        yield running


@pytest.fixture(scope="module")
def client(lab: Lab) -> Iterator[httpx.Client]:
    headers = {"Authorization": f"Bearer {lab.token}"}
    verify = ssl.create_default_context(cafile=str(lab.ca_bundle))
    with httpx.Client(base_url=lab.url, verify=verify, headers=headers, timeout=30) as session:
        yield session


def reference(name: str) -> Any:
    return json.loads((FIXTURES / name).read_bytes())


def get(client: httpx.Client, path: str, **params: str) -> Any:
    response = client.get(path, params=params or None, headers={"Sforce-Query-Options": "batchSize=200"})
    assert response.status_code == 200, response.text
    return response.json()


def test_versions_and_limits_have_the_reference_shape(client: httpx.Client) -> None:
    assert differences(shape(reference("rest/versions.json")), shape(get(client, "/services/data/"))) == []
    limits = get(client, f"/services/data/{VERSION}/limits")
    assert "DailyApiRequests" in limits
    assert differences(shape(reference("rest/limits.json")), shape(limits), subset=True) == []


@pytest.mark.parametrize(
    ("fixture", "soql"),
    [
        ("tooling/query_SecurityHealthCheck.json", TOOLING["check"]),
        ("tooling/query_SecurityHealthCheckRisks.json", TOOLING["risks"]),
    ],
)
def test_health_check_queries_have_the_reference_shape(client: httpx.Client, fixture: str, soql: str) -> None:
    answer = get(client, f"/services/data/{VERSION}/tooling/query", q=soql)
    assert differences(shape(reference(fixture)), shape(answer)) == []
    if fixture.endswith("SecurityHealthCheck.json"):
        assert len(answer["records"]) == 2, "the lab keeps an older evaluation next to the current one"
        assert all("." in row["Score"] for row in answer["records"]), "scores are decimal strings"


def test_paged_query_and_connected_apps_have_the_reference_shape(client: httpx.Client) -> None:
    first = get(client, f"/services/data/{VERSION}/query", q=user_query())
    assert first["done"] is False
    assert differences(shape(reference("rest/query_User_page1.json")), shape(first)) == []
    second = get(client, first["nextRecordsUrl"])
    assert differences(shape(reference("rest/query_User_page2.json")), shape(second)) == []
    apps = get(client, f"/services/data/{VERSION}/query", q=QUERIES["apps"])
    assert differences(shape(reference("rest/query_ConnectedApplication.json")), shape(apps)) == []


def test_security_settings_metadata_has_the_reference_shape(lab: Lab, client: httpx.Client) -> None:
    response = client.post(
        f"/services/Soap/m/{VERSION.removeprefix('v')}",
        content=envelope(lab.token, "SecuritySettings", ["Security"]),
        headers={"Content-Type": "text/xml; charset=UTF-8", "SOAPAction": '""'},
    )
    assert response.status_code == 200, response.text
    expected = xml_shape((FIXTURES / "metadata/readMetadata_SecuritySettings.xml").read_bytes())
    assert xml_shape(response.content) == expected


def test_connected_app_metadata_uses_only_reference_elements(lab: Lab, client: httpx.Client) -> None:
    names = list(APP_NAMES.values())  # the API names listMetadata gives; labels would not find them
    response = client.post(
        f"/services/Soap/m/{VERSION.removeprefix('v')}",
        content=envelope(lab.token, "ConnectedApp", names),
        headers={"Content-Type": "text/xml; charset=UTF-8", "SOAPAction": '""'},
    )
    assert response.status_code == 200, response.text
    expected = xml_shape((FIXTURES / "metadata/readMetadata_ConnectedApp.xml").read_bytes())
    actual = xml_shape(response.content)
    assert {path: kind for path, kind in actual.items() if expected.get(path) != kind} == {}
    assert "records/oauthPolicy/refreshTokenPolicy" in actual


def _soap(client: httpx.Client, body: bytes) -> httpx.Response:
    response = client.post(
        f"/services/Soap/m/{VERSION.removeprefix('v')}",
        content=body,
        headers={"Content-Type": "text/xml; charset=UTF-8", "SOAPAction": '""'},
    )
    assert response.status_code == 200, response.text
    return response


def _list_envelope(session: str, kinds: list[str]) -> bytes:
    queries = "".join(f"<met:queries><met:type>{kind}</met:type></met:queries>" for kind in kinds)
    return envelope(session, "", []).replace(
        b"<met:readMetadata><met:type></met:type></met:readMetadata>",
        f"<met:listMetadata>{queries}<met:asOfVersion>62.0</met:asOfVersion></met:listMetadata>".encode(),
    )


@pytest.mark.parametrize(
    ("kinds", "fixture"),
    [
        (["ConnectedApp"], "listMetadata_ConnectedApp.xml"),
        (list(external_apps.KINDS), "listMetadata_ExternalClientApps.xml"),
    ],
)
def test_list_metadata_has_the_reference_shape(lab: Lab, client: httpx.Client, kinds: list[str], fixture: str) -> None:
    under = "{http://soap.sforce.com/2006/04/metadata}result"
    actual = xml_shape(_soap(client, _list_envelope(lab.token, kinds)).content, under)
    assert actual == xml_shape((FIXTURES / "metadata" / fixture).read_bytes(), under)


@pytest.mark.parametrize("kind", external_apps.KINDS)
def test_external_client_app_metadata_uses_only_reference_elements(lab: Lab, client: httpx.Client, kind: str) -> None:
    listed = _soap(client, _list_envelope(lab.token, [kind])).text
    names = re.findall(r"<fullName>([^<]+)</fullName>", listed)
    actual = xml_shape(_soap(client, envelope(lab.token, kind, names)).content)
    expected = xml_shape((FIXTURES / "metadata" / f"readMetadata_{kind}.xml").read_bytes())
    assert names and actual and {path: kind for path, kind in actual.items() if expected.get(path) != kind} == {}


def test_composite_and_soap_fault_envelopes_have_the_reference_shape(client: httpx.Client) -> None:
    url = httpx.URL(f"/services/data/{VERSION}/tooling/query", params={"q": TOOLING["check"]})
    request = {"allOrNone": False, "compositeRequest": [{"method": "GET", "referenceId": "check", "url": str(url)}]}
    answer = client.post(f"/services/data/{VERSION}/tooling/composite", json=request)
    assert answer.status_code == 200, answer.text
    expected = shape(reference("tooling/composite_SecurityHealthCheck.json"))
    assert differences(expected, shape(answer.json())) == []
    fault = client.post(
        f"/services/Soap/m/{VERSION.removeprefix('v')}",
        content=envelope("not-the-session", "SecuritySettings", ["Security"]),
        headers={"Content-Type": "text/xml; charset=UTF-8", "SOAPAction": '""'},
    )
    assert fault.status_code == 500
    fault_element = "{http://schemas.xmlsoap.org/soap/envelope/}Fault"
    reference_fault = (FIXTURES / "metadata/fault_INSUFFICIENT_ACCESS.xml").read_bytes()
    assert xml_shape(fault.content, fault_element) == xml_shape(reference_fault, fault_element)


TIMED_CHECKS = ("CRM-STAB-001",)
"""Checks that judge measured time (API latency): two scans on a busy machine may differ there in any language."""


async def _collect(config: LabConfig) -> EvidenceSnapshot:
    with start_lab(config) as running:
        target = Target(
            platform="salesforce", url=running.url, secret=Secret(running.token), ca_bundle=Path(running.ca_bundle)
        )
        return await engine.collect(target)


def _statuses(snapshot: EvidenceSnapshot) -> dict[str, Counter[str]]:
    from crmsec import evaluation
    from crmsec.profiles import load_profile
    from crmsec.registry import load_catalogue

    prepared, metrics, extras = evaluation.prepare(snapshot, None)
    options = engine.EvaluationOptions(metrics=metrics, extras=extras)
    report = engine.check_snapshot(prepared, load_profile("baseline"), load_catalogue(plugins=False), options)
    statuses: dict[str, Counter[str]] = {}
    for finding in report.findings:
        if finding.check_id not in TIMED_CHECKS:
            statuses.setdefault(finding.check_id, Counter())[finding.status.value] += 1
    return statuses


@pytest.mark.parametrize("scenario", ["hardened", "misconfigured"])
def test_a_german_org_scans_exactly_like_an_english_one(scenario: str) -> None:
    import anyio

    english = anyio.run(_collect, LabConfig(scenario=scenario, users=40, contacts=40, locale="en"))
    german = anyio.run(_collect, LabConfig(scenario=scenario, users=40, contacts=40, locale="de"))
    labels = {risk["setting"] for risk in german.items["platform.health_check"].value["risks"]}
    assert "Minimale Kennwortlänge" in labels, "the German variant must really serve German labels"
    english_statuses, german_statuses = _statuses(english), _statuses(german)
    assert german_statuses == english_statuses, {
        check: (english_statuses.get(check), german_statuses.get(check))
        for check in set(english_statuses) | set(german_statuses)
        if english_statuses.get(check) != german_statuses.get(check)
    }
    trail = german.items["audit.settings"].value["audit_log"]  # type: ignore[index]
    assert trail == english.items["audit.settings"].value["audit_log"]  # type: ignore[index]
    assert trail["recent_security_events"] > 0  # counted by Action, never by the translated Section
    authentication = {check: counts for check, counts in english_statuses.items() if check.startswith("CRM-AUTH-")}
    undecided = {check: counts for check, counts in authentication.items() if "ERROR" in counts}
    assert authentication and not undecided, undecided


def test_an_unknown_locale_is_an_input_error() -> None:
    with pytest.raises(InputError, match="--locale"):
        LabConfig(locale="fr").validate()
