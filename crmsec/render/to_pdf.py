"""report.pdf (optional): the HTML report printed by headless Chromium.

Not in the default set. It needs a Chromium binary (Debian's `chromium`, or the path in `CRMSEC_CHROMIUM`);
without one, `PdfUnavailableError` says so and `write_formats` skips the PDF. The page is written to a
private temporary folder and opened from a `file://` URL with networking features off; its CSP already
forbids every request.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from crmsec.errors import InputError
from crmsec.render import to_html
from crmsec.report.model import Report

CHROMIUM_ENV = "CRMSEC_CHROMIUM"
CHROMIUM_FLAGS: tuple[str, ...] = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
)
TIMEOUT_SECONDS = 120


class PdfUnavailableError(InputError):
    """No Chromium to print the PDF with (or it failed); the other formats are unaffected."""

    hint = "install Chromium (Debian: apt-get install chromium) or set CRMSEC_CHROMIUM, or drop pdf from --format"


def find_chromium() -> Path | None:
    """The Chromium binary: `CRMSEC_CHROMIUM`, else `chromium` or `chromium-browser` on PATH."""
    configured = os.environ.get(CHROMIUM_ENV)
    if configured:
        return Path(configured) if Path(configured).is_file() else None
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return Path(found)
    return None


def chromium_command(binary: Path, profile_dir: Path, *arguments: str) -> list[str]:
    """The argv for one headless Chromium run with a throwaway profile and networking features off."""
    return [str(binary), *CHROMIUM_FLAGS, f"--user-data-dir={profile_dir}", *arguments]


def render(report: Report, *, previous: Report | None = None) -> bytes:
    """The bytes of report.pdf; PdfUnavailableError when Chromium is missing or fails."""
    binary = find_chromium()
    if binary is None:
        raise PdfUnavailableError("pdf: no Chromium found to print the HTML report")
    with tempfile.TemporaryDirectory(prefix="crmsec-pdf-") as temporary:
        folder = Path(temporary)
        page = folder / "report.html"
        page.write_bytes(to_html.render(report, previous=previous))
        output = folder / "report.pdf"
        command = chromium_command(
            binary, folder / "profile", "--no-pdf-header-footer", f"--print-to-pdf={output}", page.as_uri()
        )
        try:
            subprocess.run(command, capture_output=True, timeout=TIMEOUT_SECONDS, check=True)  # noqa: S603
        except (OSError, subprocess.SubprocessError) as error:
            raise PdfUnavailableError(f"pdf: Chromium failed ({type(error).__name__})") from error
        if not output.is_file() or output.stat().st_size == 0:
            raise PdfUnavailableError("pdf: Chromium wrote no PDF")
        return output.read_bytes()
