"""`flask --app forum screen FILE`: run the current screening rules over a file of texts."""

from __future__ import annotations

import json

import click
from flask import Flask
from flask.cli import with_appcontext

from forum.domain.services import screening


def register_moderation_commands(app: Flask) -> None:
    app.cli.add_command(screen_command)


def _texts(handle) -> list[str]:
    """JSON lines with a "text" field, or plain lines (one text per line)."""
    texts = []
    for number, line in enumerate(handle, start=1):
        line = line.rstrip("\n")
        if not line.strip():
            continue
        if line.lstrip().startswith("{"):
            try:
                record = json.loads(line)
            except json.JSONDecodeError as err:
                raise click.ClickException(
                    f"Line {number} looks like JSON but isn't: {err}"
                ) from err
            if not isinstance(record, dict) or not isinstance(record.get("text"), str):
                raise click.ClickException(f'Line {number}: a JSON line needs a "text" field.')
            texts.append(record["text"])
        else:
            texts.append(line)
    return texts


@click.command("screen")
@click.argument("file", type=click.File("r", encoding="utf-8"))
@click.option(
    "--new-member",
    is_flag=True,
    help="Judge each text as a new member's (new-member rules apply). "
    "Default: an established member.",
)
@with_appcontext
def screen_command(file, new_member: bool) -> None:
    """Print one JSON line per text: the rule codes matched and the action (publish / hold /
    hold-urgent). Uses the rules switched on in the app, exactly as new posts are screened."""
    rules = screening.active_rules()
    for text in _texts(file):
        result = screening.screen(text, rules=rules, new_member=new_member)
        click.echo(
            json.dumps(
                {
                    "text": text,
                    "rules": result.codes,
                    "action": result.action,
                    "found": {f.rule.code: list(f.matched) for f in result.findings},
                },
                ensure_ascii=False,
            )
        )
