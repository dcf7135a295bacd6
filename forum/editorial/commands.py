"""`flask --app forum import-aliases FILE` and `import-ambiguous-names FILE`: load a larger
alias table (or names that mean several drugs) from CSV. Only ever adds; reports every row."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask
from flask.cli import with_appcontext

from forum.domain.services import alias_table
from forum.errors import DomainError


def register_editorial_commands(app: Flask) -> None:
    app.cli.add_command(import_aliases_command)
    app.cli.add_command(import_ambiguous_command)


def _echo(report: alias_table.ImportReport, dry_run: bool) -> None:
    for line in report.lines():
        click.echo(line)
    click.echo(("Dry run, nothing saved: " if dry_run else "") + report.summary())


@click.command("import-aliases")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--create-missing",
    is_flag=True,
    help="Create a drug tag for a generic we don't have yet (default: skip its rows).",
)
@click.option("--dry-run", is_flag=True, help="Report what would happen; save nothing.")
@with_appcontext
def import_aliases_command(file: Path, create_missing: bool, dry_run: bool) -> None:
    """Add brand names, other names and misspellings from a CSV (generic,alias,kind,source).

    The starter table is forum/editorial/data/drug_aliases.csv. Rows already there are skipped;
    a name that already leads to another drug is reported as a conflict and left alone."""
    try:
        report = alias_table.import_aliases(file, create_missing=create_missing, dry_run=dry_run)
    except DomainError as err:
        raise click.ClickException(err.message) from err
    _echo(report, dry_run)


@click.command("import-ambiguous-names")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Report what would happen; save nothing.")
@with_appcontext
def import_ambiguous_command(file: Path, dry_run: bool) -> None:
    """Add names that mean several drugs from a CSV (name,generic,note), e.g. 5-ASA or MP.

    The starter list is forum/editorial/data/ambiguous_names.csv."""
    try:
        report = alias_table.import_ambiguous_names(file, dry_run=dry_run)
    except DomainError as err:
        raise click.ClickException(err.message) from err
    _echo(report, dry_run)
