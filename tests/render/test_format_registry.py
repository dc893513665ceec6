"""The format registry: built-ins and `crmsec.formats` plugins register one way; a broken plugin is left out
(exit 2 only when asked for), a crashing one fails alone (exit 3) and every other format is still written."""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Iterator
from importlib.metadata import EntryPoint
from pathlib import Path

import pytest

from crmsec.cli import main
from crmsec.errors import InputError, RenderError
from crmsec.evidence import save_snapshot
from crmsec.render import FORMATS, available, check_renderable, render, write_formats
from crmsec.render import formats as registry
from crmsec.report.model import Report
from crmsec.signing import ENVELOPE_NAME
from crmsec.testing import snapshot_from_values

FIXTURES = Path(__file__).parent / "fixtures"

PLUGIN = """
import sys
from crmsec.render.formats import Format

def _text(report, context):
    return f"findings {len(report.findings)}\\n".encode()

def _boom(report, context):
    raise RuntimeError("renderer exploded")

def _exits(report, context):
    sys.exit(0)

def _text_not_bytes(report, context):
    return "not bytes"

TEXT = Format("text", "report.txt", "one line", _text)
BOOM = Format("boom", "report.boom", "crashes", _boom)
EXITS = Format("exits", "report.exits", "calls sys.exit(0)", _exits)
STR = Format("str", "report.str", "returns str", _text_not_bytes)
NOT_A_FORMAT = "html"
CLASH_NAME = Format("html", "report.other.html", "takes a built-in name", _text)
CLASH_FILE = Format("htm", "report.html", "takes a built-in file", _text)
ESCAPES = Format("escape", "../outside.txt", "writes outside the folder", _text)
RESERVED = Format("json", "report.json", "overwrites report.json", _text)
MISNAMED = Format("other", "report.other", "entry point name differs", _text)
raise_on_import = None
"""

ENTRY_POINTS = {
    "text": "TEXT",
    "boom": "BOOM",
    "exits": "EXITS",
    "str": "STR",
    "notaformat": "NOT_A_FORMAT",
    "html": "CLASH_NAME",
    "htm": "CLASH_FILE",
    "escape": "ESCAPES",
    "json": "RESERVED",
    "misnamed": "MISNAMED",
}


@pytest.fixture
def plugins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A fake distribution: one module of formats, good and hostile, behind `crmsec.formats` entry points."""
    folder = tmp_path / "site"
    folder.mkdir()
    (folder / "fake_crmsec_formats.py").write_text(textwrap.dedent(PLUGIN), encoding="utf-8")
    (folder / "fake_crmsec_broken.py").write_text("raise ImportError('no such dependency')\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(folder))
    points = [
        EntryPoint(name, f"fake_crmsec_formats:{attribute}", registry.ENTRY_POINT_GROUP)
        for name, attribute in ENTRY_POINTS.items()
    ]
    points.append(EntryPoint("broken", "fake_crmsec_broken:FORMAT", registry.ENTRY_POINT_GROUP))

    def fake(*, group: str) -> list[EntryPoint]:
        return points if group == registry.ENTRY_POINT_GROUP else []

    monkeypatch.setattr(registry, "entry_points", fake)
    registry.reset()
    yield
    registry.reset()


def _run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exited:
        main([str(argument) for argument in argv])
    captured = capsys.readouterr()
    return int(exited.value.code or 0), captured.out, captured.err


def test_builtins_register_like_plugins_and_keep_their_files() -> None:
    assert {name: entry.filename for name, entry in FORMATS.items()} == {
        "html": "report.html",
        "md": "report.md",
        "sarif": "report.sarif",
        "junit": "report.junit.xml",
        "csv": "report.csv",
        "pdf": "report.pdf",
    }
    assert [name for name, entry in FORMATS.items() if entry.needs_chromium] == ["pdf"]
    fresh = registry.FormatRegistry()
    for entry in registry.BUILTIN_FORMATS:
        registry.register(fresh, entry)
    with pytest.raises(InputError, match="already provided"):
        registry.register(fresh, FORMATS["html"])
    assert ENVELOPE_NAME in registry.RESERVED_FILENAMES


@pytest.mark.usefixtures("plugins")
def test_a_plugin_format_is_rendered_and_written(rich_report: Report, tmp_path: Path) -> None:
    assert available()["text"].origin.startswith("plugin fake_crmsec_formats:TEXT")
    assert render(rich_report, "text") == f"findings {len(rich_report.findings)}\n".encode()
    written = write_formats(rich_report, tmp_path, ["md", "text"])
    assert [path.name for path in written] == ["report.md", "report.txt"]
    assert (tmp_path / "report.txt").stat().st_mode & 0o777 == 0o600


@pytest.mark.usefixtures("plugins")
def test_hostile_plugins_are_left_out_and_the_builtins_stay(rich_report: Report) -> None:
    broken = registry.loaded_registry().broken
    assert set(broken) == {"notaformat", "html", "htm", "escape", "json", "misnamed", "broken"}
    assert "no such dependency" in broken["broken"] and "already provided by builtin" in broken["html"]
    assert "plain file name" in broken["escape"] and "crmsec's own" in broken["json"]
    assert available()["html"].origin == "builtin"
    assert render(rich_report, "html").lstrip().startswith(b"<!DOCTYPE html>")
    check_renderable(["html", "md", "text"])  # a broken plugin nobody asked for does not matter


@pytest.mark.usefixtures("plugins")
@pytest.mark.parametrize("name", ["broken", "escape", "notaformat", "nosuchformat"])
def test_asking_for_a_broken_or_unknown_format_is_exit_2_before_writing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    report_file = tmp_path / "report.json"
    shutil.copy(FIXTURES / "rich.json", report_file)
    code, _, err = _run(capsys, "report", report_file, "--format", f"md,{name}", "--out", tmp_path / "out")
    assert code == 2
    assert f"report format {name!r}" in err and "Traceback" not in err
    assert not (tmp_path / "out").exists() or list((tmp_path / "out").iterdir()) == []
    assert not (tmp_path / "outside.txt").exists()


@pytest.mark.usefixtures("plugins")
@pytest.mark.parametrize(
    ("name", "said"),
    [("boom", "RuntimeError: renderer exploded"), ("exits", "SystemExit"), ("str", "returned str, not bytes")],
)
def test_a_crashing_plugin_fails_alone_and_the_others_are_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, said: str
) -> None:
    report_file = tmp_path / "report.json"
    shutil.copy(FIXTURES / "rich.json", report_file)
    out = tmp_path / "out"
    out.mkdir()
    stale = out / available()[name].filename
    stale.write_text("an older run", encoding="utf-8")
    code, stdout, err = _run(capsys, "report", report_file, "--format", f"html,{name},md", "--out", out)
    assert code == 3
    first = err.splitlines()[0]
    assert first.startswith(f"crmsec: error: report format {name!r} (plugin fake_crmsec_formats:{ENTRY_POINTS[name]})")
    assert said in first
    assert "Traceback" not in err
    assert sorted(path.name for path in out.iterdir()) == ["report.html", "report.md"]
    assert stdout.split() == [str(out / "report.html"), str(out / "report.md")]


@pytest.mark.usefixtures("plugins")
def test_two_failures_are_named_together(rich_report: Report, tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    with pytest.raises(RenderError, match="2 report formats failed") as raised:
        write_formats(rich_report, tmp_path / "out", ["boom", "csv", "str"])
    assert "'boom'" in str(raised.value) and "'str'" in str(raised.value)
    assert [path.name for path in (tmp_path / "out").iterdir()] == ["report.csv"]


@pytest.mark.usefixtures("plugins")
def test_formats_lists_builtins_plugins_and_broken_ones(capsys: pytest.CaptureFixture[str]) -> None:
    code, stdout, _ = _run(capsys, "formats")
    assert code == 0
    lines: dict[str, str] = {}
    for line in stdout.splitlines():  # the first line per name: the usable format before a plugin that clashes
        lines.setdefault(line.split()[0], line)
    assert "builtin, default" in lines["html"] and "needs Chromium" in lines["pdf"]
    assert "plugin fake_crmsec_formats:TEXT" in lines["text"] and "report.txt" in lines["text"]
    assert "not usable" in lines["broken"] and "no such dependency" in lines["broken"]


def test_without_plugins_the_registry_is_the_builtins() -> None:
    registry.reset()
    assert list(available()) == list(FORMATS)


@pytest.mark.usefixtures("plugins")
def test_evaluate_with_a_crashing_plugin_writes_the_rest_and_exits_3(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    evidence = tmp_path / "evidence-in.json"
    save_snapshot(snapshot_from_values({}), evidence)
    out = tmp_path / "out"
    code, _, err = _run(capsys, "evaluate", evidence, "--out", out, "--format", "md,boom,csv", "--quiet")
    assert code == 3, err
    assert "report format 'boom'" in err and "Traceback" not in err
    assert sorted(path.name for path in out.iterdir()) == ["evidence.json", "report.csv", "report.json", "report.md"]
