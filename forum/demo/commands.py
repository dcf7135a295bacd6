"""`flask --app forum seed-demo` and `flask --app forum seed-bulk`."""

from __future__ import annotations

import secrets

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy import func, select

from forum.domain.models import User
from forum.extensions import db


def register_demo_commands(app: Flask) -> None:
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(seed_bulk_command)


@click.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Do nothing when the database already has members.")
@with_appcontext
def seed_demo_command(if_empty: bool) -> None:
    """Load the demo members, tags, articles, stories and threads (safe to run twice)."""
    from forum.demo.seed import DEMO_EMAIL_DOMAIN, seed_demo

    if if_empty and db.session.scalar(select(func.count(User.id))):
        click.echo("The database already has content; leaving it as it is.")
        return
    password = current_app.config.get("DEMO_PASSWORD") or secrets.token_urlsafe(9)
    report = seed_demo(password)
    click.echo(str(report))
    if report.added.get("members"):
        click.echo(
            f"Demo accounts: <pseudonym>@{DEMO_EMAIL_DOMAIN} (e.g. mod_ana@{DEMO_EMAIL_DOMAIN}, "
            f"dana_editor@{DEMO_EMAIL_DOMAIN}), password: {password}"
        )


@click.command("seed-bulk")
@click.option("--posts", "post_count", type=click.IntRange(1), default=10_000, show_default=True)
@click.option(
    "--replies",
    "reply_count",
    type=click.IntRange(0),
    default=None,
    help="Total replies (default: half the posts), plus 50 on a few benchmark posts.",
)
@click.option("--members", "member_count", type=click.IntRange(1), default=2_000, show_default=True)
@with_appcontext
def seed_bulk_command(post_count: int, reply_count: int | None, member_count: int) -> None:
    """Generate a large synthetic data set for benchmarks (PostgreSQL: 1M posts in minutes)."""
    from forum.demo.bulk import seed_bulk

    summary = seed_bulk(
        posts=post_count,
        replies=post_count // 2 if reply_count is None else reply_count,
        members=member_count,
        echo=click.echo,
    )
    click.echo(summary)
