"""One verdict everywhere: the terminal, report.html, report.md and `crmsec verify` word the gate alike."""

from __future__ import annotations

import dataclasses
import html
import json
from pathlib import Path

import pytest

from crmsec.cli import main
from crmsec.cli.summary import print_summary
from crmsec.plugin import Severity
from crmsec.profiles import load_profile
from crmsec.render import render
from crmsec.report.build import GateOptions, gate_result
from crmsec.report.model import Report
from crmsec.report.verdict import coverage_wording, gate_wording, graded

# the rich fixture scores 39.22 (grade F) with a critical FAIL
CASES = {
    "no gate": (GateOptions(), "baseline", "No gate set"),
    "cli gate passes": (GateOptions(fail_under=30), "baseline", "Gate passed (fail-under 30 from the command line)"),
    "cli gate fails": (GateOptions(fail_under=70), "baseline", "Gate failed (fail-under 70 from the command line)"),
    "profile gate": (GateOptions(), "strict", "Gate failed (fail-on high from the profile)"),
    "both": (
        GateOptions(fail_under=30),
        "strict",
        "Gate failed (fail-under 30 from the command line; fail-on high from the profile)",
    ),
}


def _run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str]:
    with pytest.raises(SystemExit) as exit_info:
        main([str(argument) for argument in argv])
    code = exit_info.value.code
    return (code if isinstance(code, int) else 0), capsys.readouterr().out


def _verify_line(report: Report, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    (tmp_path / "report.json").write_text(json.dumps(report.to_json()), encoding="utf-8")
    (tmp_path / "evidence.json").write_text('{"items": {}}', encoding="utf-8")
    key = tmp_path / "signing.key"
    assert _run(capsys, "keygen", "--out", key)[0] == 0
    assert _run(capsys, "sign", tmp_path / "report.json", "--key", key)[0] == 0
    code, out = _run(capsys, "verify", tmp_path / "report.dsse.json", "--key", f"{key}.pub", "--report",
                     tmp_path / "report.json")  # fmt: skip
    assert code == 0, out
    return next(line for line in out.splitlines() if line.startswith("verdict:"))


@pytest.mark.parametrize("case", sorted(CASES))
def test_every_surface_words_the_gate_alike(
    case: str, rich_report: Report, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CRMSEC_KEY_PASSPHRASE", raising=False)
    options, profile, wording = CASES[case]
    gate = gate_result(rich_report.findings, rich_report.scores, options, load_profile(profile))
    report = dataclasses.replace(rich_report, gate=gate)
    print_summary(report, [], output_format="text")
    terminal = capsys.readouterr().out
    print_summary(report, [], output_format="json")
    assert json.loads(capsys.readouterr().out)["gate_text"] == wording
    page = html.unescape(render(report, "html").decode("utf-8"))
    markdown = render(report, "md").decode("utf-8")
    verify = _verify_line(report, tmp_path, capsys)
    for surface in (terminal, page, markdown, verify):
        assert wording in surface
        for other in {w for _, _, w in CASES.values()} - {wording}:
            assert other not in surface
        assert "Passed" not in surface.replace("Gate passed", "")  # no second, contradicting verdict
    assert ('class="big gate-unset"' in page) is (case == "no gate")


def test_a_baseline_is_named() -> None:
    text = gate_wording(passed=True, fail_under=None, fail_on="high", baseline="last.json", fail_on_from="cli")
    assert text == "Gate passed (fail-on high from the command line; only findings new since baseline last.json)"


def test_an_old_envelope_says_its_settings_are_unknown() -> None:
    assert gate_wording(passed=True, fail_under=None, fail_on=None, settings_recorded=False) == (
        "Gate passed (its settings are not recorded)"
    )


def test_cli_settings_win_over_the_profile_and_say_so(rich_report: Report) -> None:
    gate = gate_result(rich_report.findings, rich_report.scores, GateOptions(fail_on=Severity.CRITICAL),
                       load_profile("strict"))  # fmt: skip
    assert (gate["fail_on"], gate["fail_on_from"], gate["fail_under_from"]) == ("critical", "cli", None)


@pytest.mark.parametrize(
    ("decided", "selected", "not_applicable", "grade", "line"),
    [
        (
            19,
            110,
            91,
            "A (partial: 17% of checks decided)",
            "19 of 110 checks decided (17%); 19 of the 19 applicable (100.0%)",
        ),
        (92, 110, 16, "A", "92 of 110 checks decided (84%); 92 of the 94 applicable (97.9%)"),
        (87, 110, 0, "A (partial: 79% of checks decided)", "87 of 110 checks decided (79%)"),
        (88, 110, 0, "A", "88 of 110 checks decided (80%)"),
        (0, 0, 0, "A", "0 of 0 checks decided"),
    ],
)
def test_coverage_caveat_and_line(decided: int, selected: int, not_applicable: int, grade: str, line: str) -> None:
    coverage = {"selected": selected, "decided": decided, "not_applicable": not_applicable}
    assert graded("A", coverage) == grade
    assert coverage_wording(coverage) == line
    assert graded("N/A", coverage) == "N/A"
