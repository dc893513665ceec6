"""crmsec.files: atomic, symlink-safe writes and capped reads that refuse FIFOs, devices and folders."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from crmsec import files
from crmsec.errors import InputError


def _leftovers(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir() if path.name.endswith(".tmp"))


def test_write_atomic_sets_the_mode_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    target.write_bytes(b"old")
    target.chmod(0o644)
    files.write_atomic(target, b"new", mode=0o600)
    assert target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert _leftovers(tmp_path) == []


def test_a_symlink_at_the_target_is_replaced_not_written_through(tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_bytes(b"precious")
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "report.json").symlink_to(outside)
    files.write_atomic(folder / "report.json", b"{}")
    assert outside.read_bytes() == b"precious"
    assert not (folder / "report.json").is_symlink()
    assert (folder / "report.json").read_bytes() == b"{}"


def test_a_planted_temporary_name_is_neither_reused_nor_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_bytes(b"precious")
    outside.chmod(0o644)
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / ".evidence.json.tmp").symlink_to(outside)
    files.write_atomic(folder / "evidence.json", b"{}")
    assert outside.read_bytes() == b"precious"
    assert stat.S_IMODE(outside.stat().st_mode) == 0o644
    assert (folder / "evidence.json").read_bytes() == b"{}"


def test_a_failed_write_keeps_the_old_file_and_removes_the_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "report.json"
    target.write_bytes(b"old")

    def refuse(self: Path, other: Path) -> Path:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Path, "replace", refuse)
    with pytest.raises(OSError, match="No space left"):
        files.write_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert _leftovers(tmp_path) == []
    with pytest.raises(InputError, match=r"report\.json: cannot write \(No space left on device\)"):
        files.write_output(target, b"new")


def test_read_regular_reads_up_to_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "data.json"
    path.write_bytes(b"12345")
    assert files.read_regular(path, limit=5, error=InputError) == b"12345"
    with pytest.raises(InputError, match="5 bytes is over the 4-byte limit"):
        files.read_regular(path, limit=4, error=InputError)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "evidence.json"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match=r"evidence\.json: not a regular file"):
        files.read_regular(fifo, limit=100, error=InputError)
    with pytest.raises(InputError, match="not a regular file"), files.open_regular(fifo, limit=None, error=InputError):
        pass


@pytest.mark.parametrize("special", ["/dev/zero", "/dev/null"])
def test_devices_are_refused(special: str) -> None:
    if not Path(special).exists():
        pytest.skip(f"no {special} here")
    with pytest.raises(InputError, match="not a regular file"):
        files.read_regular(Path(special), limit=100, error=InputError)


def test_folders_and_missing_files_are_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not a regular file"):
        files.read_regular(tmp_path, limit=100, error=InputError)
    with pytest.raises(InputError, match="cannot read"):
        files.read_regular(tmp_path / "absent", limit=100, error=InputError)


def test_capped_chunks_stops_a_file_that_outgrows_its_limit(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(b"x" * 10)
    with (
        files.open_regular(path, limit=None, error=InputError) as handle,
        pytest.raises(InputError, match="over the 9-byte limit"),
    ):
        list(files.capped_chunks(handle, path, limit=9, error=InputError, size=4))
    with files.open_regular(path, limit=None, error=InputError) as handle:
        assert b"".join(files.capped_chunks(handle, path, limit=10, error=InputError, size=4)) == b"x" * 10


def test_lab_certificates_replace_an_old_key_file_with_a_0600_one(tmp_path: Path) -> None:
    from crmsec.lab.certs import make_certificates

    outside = tmp_path / "outside.pem"
    outside.write_bytes(b"precious")
    folder = tmp_path / "certs"
    folder.mkdir()
    (folder / "server.key").write_bytes(b"old key")
    (folder / "server.key").chmod(0o644)
    (folder / "ca.pem").symlink_to(outside)
    paths = make_certificates(folder)
    assert stat.S_IMODE(paths.private_key.stat().st_mode) == 0o600
    assert paths.private_key.read_bytes().startswith(b"-----BEGIN RSA PRIVATE KEY-----")
    assert outside.read_bytes() == b"precious" and not paths.ca_bundle.is_symlink()
