"""`crmsec.bundle` without the CLI: formats checked up front, 0600 files, stale outputs removed, the signature,
and a format that crashes while rendering failing alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from crmsec import bundle
from crmsec.errors import InputError, RenderError
from crmsec.evidence import EvidenceSnapshot
from crmsec.render import DEFAULT_FORMATS, formats, to_pdf
from crmsec.report.model import Report, load_report
from crmsec.signing import ENVELOPE_NAME, generate_keypair, load_public_key, verify_envelope
from crmsec.testing import snapshot_from_values

RICH = Path(__file__).parent / "render" / "fixtures" / "rich.json"


@pytest.fixture(scope="module")
def report() -> Report:
    return load_report(RICH)


@pytest.fixture(scope="module")
def snapshot() -> EvidenceSnapshot:
    return snapshot_from_values({})


def _crash(report: Report, context: formats.RenderContext) -> bytes:
    raise ValueError("no bytes today")


@pytest.fixture
def crashing_format(monkeypatch: pytest.MonkeyPatch) -> None:
    registry = formats.builtin_registry()
    formats.register(registry, formats.Format("boom", "report.boom", "crashes", _crash, origin="plugin test:BOOM"))
    monkeypatch.setattr(formats, "_LOADED", [registry])


def test_the_bundle_holds_every_file_owner_only(report: Report, snapshot: EvidenceSnapshot, tmp_path: Path) -> None:
    out = tmp_path / "out"
    files = bundle.write_bundle(report, snapshot, out, bundle.BundleOptions())
    assert [path.name for path in files] == [
        "report.json",
        "evidence.json",
        *(formats.loaded_registry().formats[name].filename for name in DEFAULT_FORMATS),
    ]
    assert sorted(path.name for path in out.iterdir()) == sorted(path.name for path in files)
    assert {path.name: path.stat().st_mode & 0o777 for path in files} == {path.name: 0o600 for path in files}
    assert load_report(out / "report.json") == report


@pytest.mark.parametrize(
    "options",
    [
        bundle.BundleOptions(formats=("md", "nosuch")),
        bundle.BundleOptions(formats=("md",), previous=Path("missing-previous.json")),
    ],
    ids=["unknown format", "missing previous report"],
)
def test_bad_options_write_nothing(
    report: Report, snapshot: EvidenceSnapshot, tmp_path: Path, options: bundle.BundleOptions
) -> None:
    with pytest.raises(InputError):
        bundle.write_bundle(report, snapshot, tmp_path / "out", options)
    assert not (tmp_path / "out").exists()


def test_pdf_without_chromium_is_refused_up_front(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(to_pdf, "find_chromium", lambda: None)
    with pytest.raises(to_pdf.PdfUnavailableError):
        bundle.resolve_formats("md,pdf")
    assert bundle.resolve_formats(None) == DEFAULT_FORMATS
    assert bundle.resolve_formats(" MD , md,csv") == ("md", "csv")


def test_outputs_of_an_earlier_run_are_removed(report: Report, snapshot: EvidenceSnapshot, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    elsewhere = tmp_path / "elsewhere.html"
    elsewhere.write_text("keep me", encoding="utf-8")
    (out / "report.html").symlink_to(elsewhere)
    for name in ("report.sarif", ENVELOPE_NAME, "notes.txt"):
        (out / name).write_text("old", encoding="utf-8")
    bundle.write_bundle(report, snapshot, out, bundle.BundleOptions(formats=("md",)))
    assert sorted(path.name for path in out.iterdir()) == ["evidence.json", "notes.txt", "report.json", "report.md"]
    assert elsewhere.read_text(encoding="utf-8") == "keep me"


def test_a_stale_file_that_cannot_be_removed_is_an_input_error(tmp_path: Path) -> None:
    (tmp_path / "report.sarif").mkdir()
    (tmp_path / "report.sarif" / "inside").write_text("x", encoding="utf-8")
    with pytest.raises(InputError, match=r"report\.sarif: left from an earlier run"):
        bundle.remove_stale_outputs(tmp_path, keep=[])


def test_a_signing_key_adds_an_envelope_that_verifies(
    report: Report, snapshot: EvidenceSnapshot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CRMSEC_KEY_PASSPHRASE", raising=False)
    private, public = generate_keypair(tmp_path / "signing.key", passphrase=None, force=False)
    out = tmp_path / "out"
    files = bundle.write_bundle(report, snapshot, out, bundle.BundleOptions(formats=("md",), sign_key=private))
    assert files[-1] == out / ENVELOPE_NAME
    verified = verify_envelope(
        out / ENVELOPE_NAME,
        load_public_key(public),
        report_path=out / "report.json",
        evidence_path=out / "evidence.json",
    )
    assert verified.report_checked and verified.evidence_checked


@pytest.mark.usefixtures("crashing_format")
def test_a_crashing_format_fails_alone(
    report: Report, snapshot: EvidenceSnapshot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CRMSEC_KEY_PASSPHRASE", raising=False)
    private, _ = generate_keypair(tmp_path / "signing.key", passphrase=None, force=False)
    out = tmp_path / "out"
    out.mkdir()
    (out / "report.boom").write_text("an older run", encoding="utf-8")
    options = bundle.BundleOptions(formats=("html", "boom", "md"), sign_key=private)
    with pytest.raises(RenderError, match=r"report format 'boom' \(plugin test:BOOM\) failed: ValueError"):
        bundle.write_bundle(report, snapshot, out, options)
    assert sorted(path.name for path in out.iterdir()) == [
        "evidence.json",
        "report.dsse.json",
        "report.html",
        "report.json",
        "report.md",
    ]


@pytest.mark.parametrize(
    ("flag", "profile", "anchor"),
    [
        ("policy/crm.yaml", "baseline", "policy/crm.yaml"),
        (None, "profiles/strict.yml", "profiles/strict.yml"),
        (None, "baseline", "crmsec.yaml"),
        (None, "/etc/crmsec/strict.yaml", "crmsec.yaml"),
        (None, "../elsewhere/strict.yaml", "crmsec.yaml"),
    ],
)
def test_sarif_anchor(flag: str | None, profile: str, anchor: str) -> None:
    assert bundle.sarif_anchor(flag, profile) == anchor
