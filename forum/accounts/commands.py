"""`flask --app forum create-user EMAIL --pseudonym NAME --role admin`."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import with_appcontext

from forum.domain.models import UserRole
from forum.domain.services import accounts
from forum.errors import DomainError


def register_account_commands(app: Flask) -> None:
    app.cli.add_command(create_user_command)


@click.command("create-user")
@click.argument("email")
@click.option("--pseudonym", required=True, help="The public name of the account.")
@click.option(
    "--role",
    type=click.Choice([r.value for r in UserRole]),
    default=UserRole.MEMBER.value,
    show_default=True,
)
@click.option(
    "--password",
    envvar="COHORT_PASSWORD",
    prompt=True,
    hide_input=True,
    confirmation_prompt=True,
    help="Prompted for when not given; scripts can set COHORT_PASSWORD instead.",
)
@with_appcontext
def create_user_command(email: str, pseudonym: str, role: str, password: str) -> None:
    """Create a verified account: the first admin of a deployment, moderators, editors."""
    try:
        user = accounts.create_user(
            email=email, pseudonym=pseudonym, password=password, role=UserRole(role)
        )
    except DomainError as err:
        raise click.ClickException(err.message) from err
    click.echo(f"Created {user.role.value} {user.pseudonym} <{user.email}> (verified).")
