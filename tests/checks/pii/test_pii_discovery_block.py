"""The PII field discovery block is repeated in each check that needs it (checks import only crmsec.plugin).

This test keeps the copies identical, so a fix to one copy cannot silently miss the others.
"""

import re
from pathlib import Path

CHECKS = Path(__file__).resolve().parents[3] / "checks"
BLOCK = re.compile(r"^# --- PII field discovery\..*?^# --- end of PII field discovery\.$", re.MULTILINE | re.DOTALL)


def _copies() -> dict[str, str]:
    copies = {}
    for path in sorted(CHECKS.rglob("*.py")):
        match = BLOCK.search(path.read_text(encoding="utf-8"))
        if match:
            copies[path.relative_to(CHECKS).as_posix()] = match.group(0)
    return copies


def test_every_copy_of_the_block_is_identical() -> None:
    copies = _copies()
    assert "audit_logging/pii_field_history.py" in copies
    assert "pii/pii_fields_encrypted.py" in copies
    assert len(set(copies.values())) == 1, sorted(copies)
