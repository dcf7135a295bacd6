"""`flask --app forum search-reindex`: rebuild the search documents from the current text."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import with_appcontext

from forum.domain.services import search_index


def register_search_commands(app: Flask) -> None:
    app.cli.add_command(reindex_command)


@click.command("search-reindex")
@with_appcontext
def reindex_command() -> None:
    """Rewrite every post's, reply's and article's search document (safe to run any time)."""
    count = search_index.reindex_all()
    click.echo(f"Reindexed {count:,} documents.")
