"""`crmsec scan`: collect + evaluate + report in one run."""

from __future__ import annotations

from typing import Any

import click

from crmsec.cli.fleet_scan import fleet_options, relax_single_target, require_single_target, run_fleet_scan
from crmsec.cli.options import EXIT_CODES_HELP, evaluation_options, identities_option, target_options
from crmsec.cli.pipeline import RunSettings, build_target, collect_snapshot, evaluate_and_write, prepare_run


def settings_from(arguments: dict[str, Any]) -> RunSettings:
    """RunSettings from the evaluation options of a command."""
    return RunSettings(
        profile=arguments["profile"],
        checks_dirs=tuple(arguments["checks_dir"]),
        no_plugins=arguments["no_plugins"],
        check_timeout=arguments["check_timeout"],
        fail_under=arguments["fail_under"],
        fail_on=arguments["fail_on"],
        baseline=arguments["baseline"],
        inputs=arguments["inputs"],
        out_dir=arguments["out_dir"],
        formats=arguments["formats"],
        previous=arguments["previous"],
        history=tuple(arguments["history"]),
        sarif_anchor=arguments["sarif_anchor"],
        junit_fail_on=arguments["junit_fail_on"],
        sign_key=arguments["sign_key"],
        quiet=arguments["quiet"],
        output_format=arguments["output_format"],
    )


@click.command(
    name="scan", help=f"Collect evidence from a CRM, evaluate it and write the report bundle.\n\n{EXIT_CODES_HELP}"
)
@target_options
@identities_option
@evaluation_options
@fleet_options
def command(**arguments: Any) -> int:
    """Scan a target end to end (or, with --targets, a slice of a fleet: see crmsec.cli.fleet_scan)."""
    settings = settings_from(arguments)
    if arguments["targets_file"] is not None:
        prepare_run(settings)  # the same up-front checks before any org of the fleet is collected
        return run_fleet_scan(arguments, settings)
    require_single_target(arguments)
    prepared = prepare_run(settings)  # bad --profile, --format or --checks-dir: exit 2 before any network call
    target = build_target(
        platform=arguments["platform"],
        url=arguments["url"],
        token_env=arguments["token_env"],
        credentials_file=arguments["credentials_file"],
        ca_bundle=arguments["ca_bundle"],
        target_options=arguments["target_options"],
        facts=arguments["facts"],
        allow_insecure_http=arguments["allow_insecure_http"],
    )
    snapshot, seconds = collect_snapshot(target, quiet=settings.quiet, show_identities=arguments["show_identities"])
    return evaluate_and_write(snapshot, settings, collect_seconds=seconds, prepared=prepared)


relax_single_target(command)
