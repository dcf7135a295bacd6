"""`flask --app forum send-digests` (for cron) and `flask --app forum worker` (background jobs)."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from forum import jobs
from forum.domain.services import notifications
from forum.feeds import digests
from forum.feeds import jobs as feed_jobs

SEND_DIGESTS = "send_due_digests"


def register_feed_commands(app: Flask) -> None:
    """The feeds' commands, and the background jobs they and the domain enqueue by name."""
    app.cli.add_command(send_digests_command)
    app.cli.add_command(worker_command)
    jobs.register(app, notifications.ANNOUNCE_POST, feed_jobs.announce_post)
    jobs.register(app, notifications.ANNOUNCE_REPLY, feed_jobs.announce_reply)
    jobs.register(app, SEND_DIGESTS, digests.send_due_digests)


@click.command("send-digests")
@click.option(
    "--frequency", type=click.Choice(["daily", "weekly"]), default="weekly", show_default=True
)
@click.option("--dry-run", is_flag=True, help="Count who would get one; send nothing.")
@click.option("--queue", "use_queue", is_flag=True, help="Hand the work to the background worker.")
@with_appcontext
def send_digests_command(frequency: str, dry_run: bool, use_queue: bool) -> None:
    """Email the digests that are due. Run it daily from cron, once per frequency, e.g.
    `0 7 * * * flask --app forum send-digests --frequency daily`."""
    if use_queue:
        if not current_app.config.get("REDIS_URL"):
            raise click.ClickException("--queue needs REDIS_URL (a worker reads the queue there).")
        jobs.enqueue(SEND_DIGESTS, frequency)
        click.echo(f"Queued the {frequency} digests for the worker.")
        return
    sent, skipped = digests.send_due_digests(frequency, dry_run=dry_run)
    verb = "Would send" if dry_run else "Sent"
    click.echo(f"{verb} {sent} {frequency} digest(s); {skipped} member(s) had nothing new.")


@click.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
@with_appcontext
def worker_command(burst: bool) -> None:
    """Run background jobs (notification fan-out, digests) from Redis (REDIS_URL)."""
    if not current_app.config.get("REDIS_URL"):
        raise click.ClickException(
            "Set REDIS_URL to run a worker. Without it, jobs run inline and no worker is needed."
        )
    jobs.run_worker(burst=burst)
