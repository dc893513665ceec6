"""No module in crmsec/ or checks/ grows past 400 lines: split by responsibility before it does."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
LIMIT = 400


def too_long(folders: tuple[Path, ...], limit: int = LIMIT) -> list[str]:
    """`path: N lines` for every .py file under `folders` longer than `limit` lines."""
    found = []
    for folder in folders:
        for path in sorted(folder.rglob("*.py")):
            lines = len(path.read_text(encoding="utf-8").splitlines())
            if lines > limit:
                found.append(f"{path.relative_to(folder.parent).as_posix()}: {lines} lines")
    return found


def test_no_module_exceeds_400_lines() -> None:
    assert too_long((ROOT / "crmsec", ROOT / "checks")) == []


@pytest.mark.parametrize(("lines", "flagged"), [(LIMIT, False), (LIMIT + 1, True)])
def test_the_size_check_flags_a_planted_long_module(tmp_path: Path, lines: int, flagged: bool) -> None:
    package = tmp_path / "crmsec"
    (package / "sub").mkdir(parents=True)
    (package / "sub" / "big.py").write_text("x = 1\n" * lines, encoding="utf-8")
    assert too_long((package,)) == (["crmsec/sub/big.py: 401 lines"] if flagged else [])
