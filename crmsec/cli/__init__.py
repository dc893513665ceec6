"""The crmsec command line: a thin click group over the library, and the one error-to-exit-code handler.

Each command lives in `crmsec/cli/commands/<name>.py` and exposes `command` (a click command or group);
`COMMANDS` lists them. Commands raise `CrmsecError`s; `main()` maps them to exit codes and prints one line.
"""

from __future__ import annotations

import importlib
import logging
import sys
import traceback

import click

from crmsec.cli import console
from crmsec.cli.options import EXIT_CODES_HELP, ExitCode
from crmsec.errors import CrmsecError, InputError, SigningError, TargetError, VerificationError
from crmsec.redaction import RedactingFilter, scrub_message, scrub_text
from crmsec.version import __version__

COMMANDS: tuple[str, ...] = (
    "scan",
    "collect",
    "evaluate",
    "report",
    "formats",
    "platforms",
    "checks",
    "profiles",
    "schema",
    "demo",
    "lab",
    "pii",
    "keygen",
    "sign",
    "verify",
    "diff",
    "history",
    "init",
    "fleet",
    "merge",
)


@click.group(
    help=f"Security and compliance audit scanner for CRM deployments.\n\n{EXIT_CODES_HELP}",
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(__version__, prog_name="crmsec")
@click.option("--debug", is_flag=True, help="Show tracebacks and debug logs.")
@click.pass_context
def cli(context: click.Context, debug: bool) -> None:
    """The crmsec command group."""
    context.ensure_object(dict)
    context.obj["debug"] = debug
    stderr_handler = logging.StreamHandler()  # log lines can quote CRM data: no control character gets through
    stderr_handler.setFormatter(console.PrintableFormatter("%(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=logging.DEBUG if debug else logging.WARNING, handlers=[stderr_handler])
    for handler in logging.getLogger().handlers:
        handler.addFilter(RedactingFilter())


def _add_commands() -> None:
    for name in COMMANDS:
        try:
            module = importlib.import_module(f"crmsec.cli.commands.{name}")
        except ModuleNotFoundError as error:
            if error.name == f"crmsec.cli.commands.{name}":
                continue  # a command not built yet
            raise
        cli.add_command(module.command)


_add_commands()


def _exit_code(error: CrmsecError) -> ExitCode:
    if isinstance(error, VerificationError):
        return ExitCode.GATE_FAILED
    if isinstance(error, InputError | SigningError):
        return ExitCode.INPUT_ERROR
    if isinstance(error, TargetError):
        return ExitCode.SCAN_FAILED
    return ExitCode.SCAN_FAILED


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the group, map errors to one line on stderr and a documented exit code."""
    debug = "--debug" in (argv if argv is not None else sys.argv[1:])
    try:
        code = cli.main(args=argv, prog_name="crmsec", standalone_mode=False)
    except click.exceptions.Abort:
        console.err("crmsec: aborted")
        sys.exit(ExitCode.SCAN_FAILED)
    except click.ClickException as error:
        console.err(f"crmsec: {error.format_message()}")
        sys.exit(ExitCode.INPUT_ERROR)
    except CrmsecError as error:
        if debug:
            logging.getLogger(__name__).exception("crmsec failed")
        console.err(f"crmsec: error: {scrub_message(str(error))}")
        console.err(f"crmsec: hint: {error.hint}")
        sys.exit(_exit_code(error))
    except Exception as error:  # noqa: BLE001 -- boundary: a crash exits 3, never a verdict
        if debug:  # the traceback, then the same exit 3: re-raising would let Python exit 1 (gate failed)
            console.err(scrub_text(traceback.format_exc()).rstrip())
        console.err(f"crmsec: internal error: {type(error).__name__}: {scrub_text(str(error))}")
        console.err("crmsec: hint: run again with --debug and report it (see SECURITY.md)")
        sys.exit(ExitCode.SCAN_FAILED)
    sys.exit(code if isinstance(code, int) else ExitCode.OK)
