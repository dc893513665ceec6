"""Hostile files through `crmsec.cli.main`: devices, FIFOs, planted symlinks, stale outputs and inputs that
used to crash (exit 3) instead of being refused as input errors (exit 2)."""

from __future__ import annotations

import json
import os
import stat
import threading
from pathlib import Path

import pytest

from crmsec.cli import main
from crmsec.evidence import save_snapshot
from crmsec.testing import snapshot_from_values

VALUES = {"auth.session_settings": {"idle_timeout_minutes": 120, "https_required": True}}
DEEP = "[" * 100_000 + "]" * 100_000


def run(capsys: pytest.CaptureFixture[str], *arguments: str | Path) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exited:
        main([str(argument) for argument in arguments])
    captured = capsys.readouterr()
    return int(exited.value.code or 0), captured.out, captured.err


def assert_input_error(code: int, stderr: str, *expected: str) -> None:
    assert code == 2, stderr
    assert "internal error" not in stderr and "Traceback" not in stderr
    for text in expected:
        assert text in stderr


@pytest.fixture(autouse=True)
def _no_default_passphrase(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CRMSEC_KEY_PASSPHRASE", raising=False)


@pytest.fixture
def evidence(tmp_path: Path) -> Path:
    path = tmp_path / "evidence.json"
    save_snapshot(snapshot_from_values(VALUES), path)
    return path


@pytest.fixture
def signed(capsys: pytest.CaptureFixture[str], evidence: Path, tmp_path: Path) -> Path:
    """A scan folder with report.json, evidence.json and report.dsse.json, signed by tmp/keys/k."""
    key = tmp_path / "keys" / "k"
    key.parent.mkdir()
    assert run(capsys, "keygen", "--out", key)[0] == 0
    out = tmp_path / "out"
    code, _, stderr = run(capsys, "evaluate", evidence, "--out", out, "--format", "md", "--sign-key", key, "-q")
    assert code == 0, stderr
    return out


def _device_link(tmp_path: Path, name: str) -> Path:
    """`name` as a symlink to /dev/null: a character device behind an ordinary-looking file name."""
    if not Path("/dev/null").exists():
        pytest.skip("no /dev/null here")
    link = tmp_path / name
    link.symlink_to("/dev/null")
    return link


# -- non-regular files are refused, naming the file (exit 2) ------------------------------------------


def test_evaluate_refuses_a_device_as_evidence(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, stderr = run(capsys, "evaluate", "/dev/null", "--out", tmp_path / "o")
    assert_input_error(code, stderr, "/dev/null: not a regular file")


@pytest.mark.parametrize(
    ("name", "arguments"),
    [
        ("profile.yaml", ("evaluate", "{evidence}", "--profile", "{file}", "--out", "{tmp}/o")),
        ("survey.csv", ("evaluate", "{evidence}", "--inputs", "{tmp}", "--out", "{tmp}/o")),
        ("export.csv", ("pii", "scan", "{file}")),
        ("export.jsonl", ("pii", "scan", "{file}")),
        ("old.json", ("evaluate", "{evidence}", "--previous", "{file}", "--out", "{tmp}/o")),
    ],
)
def test_every_input_refuses_a_device(
    capsys: pytest.CaptureFixture[str], evidence: Path, tmp_path: Path, name: str, arguments: tuple[str, ...]
) -> None:
    device = _device_link(tmp_path, name)
    values = {"evidence": str(evidence), "file": str(device), "tmp": str(tmp_path)}
    code, _, stderr = run(capsys, *(argument.format(**values) for argument in arguments))
    assert_input_error(code, stderr, f"{name}: not a regular file")


def test_verify_refuses_a_device_as_report_or_envelope(
    capsys: pytest.CaptureFixture[str], signed: Path, tmp_path: Path
) -> None:
    key = tmp_path / "keys" / "k.pub"
    device = _device_link(tmp_path, "report.json")
    envelope, evidence = signed / "report.dsse.json", signed / "evidence.json"
    code, _, stderr = run(capsys, "verify", envelope, "--key", key, "--report", device, "--evidence", evidence)
    assert_input_error(code, stderr, "report.json: not a regular file")
    fake = _device_link(tmp_path, "fake.dsse.json")
    code, _, stderr = run(
        capsys, "verify", fake, "--key", key, "--report", signed / "report.json", "--evidence", evidence
    )
    assert_input_error(code, stderr, "fake.dsse.json: not a regular file")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_verify_refuses_a_fifo_report_instead_of_waiting(
    capsys: pytest.CaptureFixture[str], signed: Path, tmp_path: Path
) -> None:
    fifo = tmp_path / "report.json"
    os.mkfifo(fifo)
    content = (signed / "report.json").read_bytes()
    opened = threading.Event()

    def feed() -> None:  # a writer, so that a reader which waited for one would get the real report
        try:
            with fifo.open("wb") as pipe:
                opened.set()
                pipe.write(content)
        except BrokenPipeError:
            pass

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    envelope, key = signed / "report.dsse.json", tmp_path / "keys" / "k.pub"
    code, _, stderr = run(
        capsys, "verify", envelope, "--key", key, "--report", fifo, "--evidence", signed / "evidence.json"
    )
    # Release the writer if nobody read: hold a reader open until the writer's open() has returned (the thread may
    # not have got there yet; a reader opened and closed before that would leave it blocked for ever), then close
    # it so a pending write ends in a broken pipe.
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        assert opened.wait(timeout=30)
    finally:
        os.close(reader)
    writer.join(timeout=30)
    assert not writer.is_alive()
    assert_input_error(code, stderr, "report.json: not a regular file")


def test_a_device_as_signing_key_is_refused(capsys: pytest.CaptureFixture[str], signed: Path, tmp_path: Path) -> None:
    device = _device_link(tmp_path, "device.key")
    code, _, stderr = run(capsys, "sign", signed / "report.json", "--key", device, "--out", tmp_path / "e.json")
    assert_input_error(code, stderr, "device.key: not a regular file")


# -- inputs that used to crash are input errors ----------------------------------------------------------


@pytest.mark.parametrize(
    ("profile_text", "field"),
    [
        ("name: x\npass_mark: .nan\n", "pass_mark: nan is not a finite number"),
        ("name: x\nweights: {severities: {high: .inf}}\n", "weights.severities.high: inf is not a finite number"),
        ("name: x\ngrades: [{grade: A, min: -.inf}]\n", "grades[0].min: -inf is not a finite number"),
    ],
)
def test_non_finite_profile_numbers_are_input_errors(
    capsys: pytest.CaptureFixture[str], evidence: Path, tmp_path: Path, profile_text: str, field: str
) -> None:
    profile = tmp_path / "profile.yaml"
    profile.write_text(profile_text, encoding="utf-8")
    code, _, stderr = run(capsys, "evaluate", evidence, "--profile", profile, "--out", tmp_path / "o")
    assert_input_error(code, stderr, f"profile.yaml: {field}")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1e400", "the number 1e400 is out of range"),
        ("-1e400", "the number -1e400 is out of range"),
        ("NaN", "NaN is not valid JSON"),
        ('"\\udc80"', "lone surrogate"),
        ('{"\\ud800": 1}', "lone surrogate"),
    ],
)
def test_unrepresentable_evidence_values_are_input_errors(
    capsys: pytest.CaptureFixture[str], evidence: Path, tmp_path: Path, value: str, expected: str
) -> None:
    text = evidence.read_text(encoding="utf-8").replace("120", value, 1)
    evidence.write_text(text, encoding="utf-8")
    code, _, stderr = run(capsys, "evaluate", evidence, "--out", tmp_path / "o")
    assert_input_error(code, stderr, str(evidence), expected)


def test_a_report_with_a_lone_surrogate_is_an_input_error(
    capsys: pytest.CaptureFixture[str], evidence: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    assert run(capsys, "evaluate", evidence, "--out", out, "--format", "md", "-q")[0] == 0
    report = out / "report.json"
    text = report.read_text(encoding="utf-8")
    assert '"name": "baseline"' in text
    report.write_text(text.replace('"name": "baseline"', '"name": "base\\udc80line"', 1), encoding="utf-8")
    code, _, stderr = run(capsys, "report", report, "--format", "html,md", "--out", tmp_path / "again")
    assert_input_error(code, stderr, "report.json", "lone surrogate")


def test_a_deeply_nested_jsonl_line_is_an_input_error(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    export = tmp_path / "contacts.jsonl"
    export.write_text('{"email": "a@example.test"}\n{"nested": ' + DEEP + "}\n", encoding="utf-8")
    code, _, stderr = run(capsys, "pii", "scan", export)
    assert_input_error(code, stderr, "contacts.jsonl:2: nested too deeply")


def test_a_deeply_nested_envelope_is_an_input_error(capsys: pytest.CaptureFixture[str], signed: Path) -> None:
    envelope = signed / "report.dsse.json"
    envelope.write_text(DEEP, encoding="utf-8")
    key = signed.parent / "keys" / "k.pub"
    code, _, stderr = run(
        capsys,
        "verify",
        envelope,
        "--key",
        key,
        "--report",
        signed / "report.json",
        "--evidence",
        signed / "evidence.json",
    )
    assert_input_error(code, stderr, "report.dsse.json: nested too deeply")


def test_debug_prints_the_traceback_and_still_exits_3(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def crash(name: str) -> None:
        raise RuntimeError("boom in the schema loader")

    monkeypatch.setattr("crmsec.resources.schema", crash)
    code, _, stderr = run(capsys, "--debug", "schema", "report")
    assert code == 3
    assert "Traceback (most recent call last)" in stderr and "RuntimeError: boom in the schema loader" in stderr
    assert "crmsec: internal error: RuntimeError" in stderr
    code, _, stderr = run(capsys, "schema", "report")
    assert code == 3 and "Traceback" not in stderr


# -- writes never follow a planted link, and stale outputs go --------------------------------------------


def test_scan_outputs_never_write_through_planted_links(
    capsys: pytest.CaptureFixture[str], evidence: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("precious", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    for name in ("report.json", "evidence.json", "report.md"):
        (out / f".{name}.tmp").symlink_to(outside)
    (out / "report.json").symlink_to(outside)
    code, _, stderr = run(capsys, "evaluate", evidence, "--out", out, "--format", "md", "-q")
    assert code == 0, stderr
    assert outside.read_text(encoding="utf-8") == "precious"
    for name in ("report.json", "evidence.json", "report.md"):
        path = out / name
        assert not path.is_symlink() and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert json.loads((out / "report.json").read_text(encoding="utf-8"))["profile"]["name"] == "baseline"


def test_sign_never_writes_through_a_planted_link(
    capsys: pytest.CaptureFixture[str], signed: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("precious", encoding="utf-8")
    (signed / ".report.dsse.json.tmp").symlink_to(outside)
    code, _, stderr = run(capsys, "sign", signed / "report.json", "--key", tmp_path / "keys" / "k")
    assert code == 0, stderr
    assert outside.read_text(encoding="utf-8") == "precious"
    assert json.loads((signed / "report.dsse.json").read_text(encoding="utf-8"))["signatures"]


def test_init_force_replaces_a_symlink_instead_of_following_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    outside = tmp_path / "outside.csv"
    outside.write_text("precious", encoding="utf-8")
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    (inputs / "survey.csv").symlink_to(tmp_path / "dangling.csv")
    code, _, stderr = run(capsys, "init", "--out", inputs)
    assert code == 2 and "survey.csv" in stderr  # a dangling link is an existing name too
    (inputs / "survey.csv").unlink()
    (inputs / "survey.csv").symlink_to(outside)
    (inputs / ".kpis.yaml.tmp").symlink_to(outside)
    assert run(capsys, "init", "--out", inputs, "--force")[0] == 0
    assert outside.read_text(encoding="utf-8") == "precious"
    assert not (tmp_path / "dangling.csv").exists()
    survey = inputs / "survey.csv"
    assert not survey.is_symlink() and stat.S_IMODE(survey.stat().st_mode) == 0o644
    assert "precious" not in (inputs / "kpis.yaml").read_text(encoding="utf-8")


def test_outputs_of_an_earlier_run_do_not_stay_looking_current(
    capsys: pytest.CaptureFixture[str], signed: Path, evidence: Path
) -> None:
    (signed / "notes.txt").write_text("mine", encoding="utf-8")
    code, _, stderr = run(capsys, "evaluate", evidence, "--out", signed, "--format", "md,sarif,csv", "-q")
    assert code == 0, stderr
    assert not (signed / "report.dsse.json").exists()  # not signed this time: the old envelope is gone
    (signed / "report.md").chmod(0o644)
    code, _, stderr = run(capsys, "evaluate", evidence, "--out", signed, "--format", "md", "-q")
    assert code == 0, stderr
    names = sorted(path.name for path in signed.iterdir())
    assert names == ["evidence.json", "notes.txt", "report.json", "report.md"]
    assert stat.S_IMODE((signed / "report.md").stat().st_mode) == 0o600


def test_credentials_keys_and_ca_bundles_refuse_a_device(tmp_path: Path) -> None:
    from crmsec.connectors import auth, http, tls
    from crmsec.errors import InputError
    from crmsec.target import Target, credentials_from_file

    device = _device_link(tmp_path, "secret.pem")
    target = Target("salesforce", "https://crm.example.test", ca_bundle=device, options={"jwt_key_file": str(device)})
    attempts = [
        ("--credentials-file", lambda: credentials_from_file(device)),
        ("jwt_key_file", lambda: auth.load_private_key(target)),
        ("--ca-bundle", lambda: tls._checked_bundle(device)),
        ("--ca-bundle", lambda: http.ssl_context(target)),
    ]
    for flag, attempt in attempts:
        with pytest.raises(InputError, match=rf"^{flag} \S*secret\.pem: not a regular file$"):
            attempt()
