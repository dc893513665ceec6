from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from crmsec.errors import ProfileError
from crmsec.profiles import builtin_profiles, load_profile, select_checks
from crmsec.registry import load_catalogue

CATALOGUE = load_catalogue(plugins=False)
FRAMEWORK_PROFILES = {
    "gdpr": "gdpr",
    "pipl": "pipl",
    "iso27001": "iso27001_2022",
    "soc2": "soc2",
    "dengbao-l3": "gbt22239_2019_l3",
}


@pytest.mark.parametrize("name", sorted(builtin_profiles()))
def test_builtin_profiles_are_consistent(name: str) -> None:
    profile = load_profile(name)
    specs = select_checks(profile, CATALOGUE.checks.values())
    assert specs, f"{name} selects no check"
    declared = {parameter for spec in specs for parameter in spec.params}
    assert set(profile.parameters) <= declared, "every profile parameter reaches a check"
    for check_id in profile.check_parameters:
        assert check_id in CATALOGUE.checks
    for spec in specs:
        profile.parameters_for(spec)  # types agree with the defaults


@pytest.mark.parametrize(("name", "framework"), sorted(FRAMEWORK_PROFILES.items()))
def test_framework_profiles_select_mapped_checks(name: str, framework: str) -> None:
    specs = select_checks(load_profile(name), CATALOGUE.checks.values())
    assert all(framework in spec.frameworks for spec in specs)
    assert len(specs) == sum(1 for spec in CATALOGUE.checks.values() if framework in spec.frameworks)


def test_extends_merges_and_records_sources(tmp_path: Path) -> None:
    child = tmp_path / "child.yaml"
    child.write_text(
        "name: child\nextends: strict\nparameters: {max_idle_minutes: 5}\nweights: {dimensions: {tls: 1.25}}\n"
        "waivers:\n  - {check: CRM-AUTH-004, resource: '*', owner: me, justification: test, expires: 2030-01-01}\n"
    )
    profile = load_profile(child)
    assert profile.sources == ("child.yaml", "builtin:strict", "builtin:baseline")
    assert profile.parameters["max_idle_minutes"] == 5
    assert profile.parameters["min_password_length"] == 14  # from strict
    assert profile.dimension_weights["tls"] == 1.25 and profile.dimension_weights["backup"] == 1.5
    assert profile.waivers[0].expires == dt.date(2030, 1, 1)
    assert profile.pass_mark == 80


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        ("{dimensions: {tls: 5}}", "a critical FAIL .* would cost no more than a high finding"),
        ("{severities: {medium: 1, low: 1}}", "a medium FAIL .* would cost no more than a low finding"),
        ("{statuses: {WARN: 1.0}}", "would cost no more than a WARN of the same severity"),
    ],
)
def test_weights_that_let_a_lower_severity_outweigh_a_fail_are_refused(
    tmp_path: Path, weights: str, message: str
) -> None:
    path = tmp_path / "flat.yaml"
    path.write_text(f"name: flat\nextends: baseline\nweights: {weights}\n")
    with pytest.raises(ProfileError, match=f"profile flat .*severity must dominate.*{message}"):
        load_profile(path)


def test_extends_cycle_is_refused(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("name: a\nextends: b.yaml\n")
    (tmp_path / "b.yaml").write_text("name: b\nextends: a.yaml\n")
    with pytest.raises(ProfileError, match="cycle"):
        load_profile(tmp_path / "a.yaml")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name: x\ndefaults: &d {a: 1}\nparameters: *d\n", "aliases"),
        ("- just\n- a list\n", "must be a mapping"),
        ("name: x\nunknown_key: 1\n", "unknown_key"),
        ("name: x\nweights: {severities: {critical: -1}}\n", "/weights/severities/critical"),
        ("name: x\nwaivers: [{check: A, resource: '*', owner: o, justification: j, expires: someday}]\n", "expires"),
        ("name: x\nselect: {dimensions: [nonsense]}\n", "/select/dimensions/0"),
        (
            "name: x\nwaivers: [{check: A, resource: '*', owner: o, justification: j, expires: 2099-13-45}]\n",
            "invalid value",
        ),
        ("name: x\ndescription: " + "[" * 5000 + "]" * 5000 + "\n", "profile.yaml"),
    ],
)
def test_invalid_profiles_name_the_problem(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "profile.yaml"
    path.write_text(text)
    with pytest.raises(ProfileError, match=message) as caught:
        load_profile(path)
    assert str(path) in str(caught.value) or "waiver" in str(caught.value)


def test_oversized_profile_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text("name: x\ndescription: '" + "a" * (1024 * 1024 + 10) + "'\n")
    with pytest.raises(ProfileError, match="limit"):
        load_profile(path)


def test_unknown_profile_name_lists_builtins() -> None:
    with pytest.raises(ProfileError, match="baseline"):
        load_profile("no-such-profile")


def test_a_mistyped_select_id_gets_a_did_you_mean(tmp_path: Path) -> None:
    from crmsec import engine
    from crmsec.testing import snapshot_from_values

    path = tmp_path / "typo.yaml"
    path.write_text("name: typo\nselect: {ids: [CRM-AUTH-004, CRM-AUTH-04, CRM-ATUH-005, crm-tls-001, ZZZ-NOPE-1]}\n")
    profile = load_profile(str(path))
    assert profile.unknown_ids(CATALOGUE.checks) == [
        "select.ids names CRM-AUTH-04, which is not a known check (did you mean CRM-AUTH-004?)",
        "select.ids names CRM-ATUH-005, which is not a known check (did you mean CRM-AUTH-005 or CRM-AUD-005?)",
        "select.ids names crm-tls-001, which is not a known check (did you mean CRM-TLS-001?)",
        "select.ids names ZZZ-NOPE-1, which is not a known check",  # nothing close: no guess
    ]
    report = engine.check_snapshot(snapshot_from_values({}), profile, CATALOGUE)
    assert "profile typo: select.ids names CRM-AUTH-04, which is not a known check (did you mean CRM-AUTH-004?)" in (
        report.errors
    )
    only_typos = tmp_path / "only.yaml"
    only_typos.write_text("name: only\nselect: {ids: [CRM-AUTH-04]}\n")
    with pytest.raises(ProfileError, match=r"selects no check: .*CRM-AUTH-04.*did you mean CRM-AUTH-004\?"):
        engine.check_snapshot(snapshot_from_values({}), load_profile(str(only_typos)), CATALOGUE)


def test_a_known_id_left_out_by_other_rules_is_not_called_unknown(tmp_path: Path) -> None:
    from crmsec import engine
    from crmsec.testing import snapshot_from_values

    path = tmp_path / "narrow.yaml"
    path.write_text("name: narrow\nselect: {ids: [CRM-AUTH-004, CRM-TLS-001], dimensions: [authentication]}\n")
    report = engine.check_snapshot(snapshot_from_values({}), load_profile(str(path)), CATALOGUE)
    assert "profile narrow: select.ids names CRM-TLS-001, which the profile's other select rules leave out" in (
        report.errors
    )
    assert not any("not a known check" in error for error in report.errors)
