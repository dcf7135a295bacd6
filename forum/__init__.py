"""Cohort: a moderated community where patients share what living with a medicine is like."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from forum.config import DEV_SECRET, load_config

ROOT = Path(__file__).resolve().parent.parent
MIGRATIONS_DIR = ROOT / "migrations"


def create_app(overrides: dict[str, object] | None = None) -> Flask:
    """Build the app: configuration, extensions, blueprints, error handlers, commands."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    from forum.http import IdConverter

    app.url_map.converters["int"] = IdConverter  # before any route is added
    app.config.from_mapping(load_config(app.instance_path))
    if overrides:
        app.config.from_mapping(overrides)
    _require_real_secret(app)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if not app.debug:
        # Flask's logger inherits WARNING from the root logger; Cohort logs useful INFO lines
        # (e.g. emails in development when no SMTP_URL is set).
        app.logger.setLevel(app.config.get("LOG_LEVEL", "INFO"))

    from forum.extensions import csrf, db, limiter, login_manager, migrate

    db.init_app(app)
    limiter.init_app(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS_DIR))
    login_manager.init_app(app)
    csrf.init_app(app)

    from forum import http, pagecache, templating
    from forum.errors import register_error_handlers
    from forum.login import init_login

    init_login(login_manager)
    http.init_app(app)
    pagecache.init_app(app)
    templating.init_app(app)
    register_error_handlers(app)

    from forum.accounts.views import bp as accounts_bp
    from forum.auth.views import bp as auth_bp
    from forum.editorial.editors import bp as editors_bp
    from forum.editorial.views import bp as editorial_bp
    from forum.feeds.views import bp as feeds_bp
    from forum.home.views import bp as home_bp
    from forum.messages.views import bp as messages_bp
    from forum.moderation.public import bp as transparency_bp
    from forum.moderation.views import bp as moderation_bp
    from forum.posts.views import bp as posts_bp
    from forum.search.views import bp as search_bp
    from forum.tags.views import bp as tags_bp

    for bp in (
        home_bp,
        tags_bp,
        posts_bp,
        editorial_bp,
        editors_bp,
        auth_bp,
        accounts_bp,
        moderation_bp,
        transparency_bp,
        search_bp,
        feeds_bp,
        messages_bp,
    ):
        app.register_blueprint(bp)

    from forum.demo.commands import register_demo_commands

    register_demo_commands(app)

    from forum.accounts.commands import register_account_commands

    register_account_commands(app)

    from forum.moderation.commands import register_moderation_commands

    register_moderation_commands(app)

    from forum.editorial.commands import register_editorial_commands

    register_editorial_commands(app)

    from forum.search.commands import register_search_commands

    register_search_commands(app)

    from forum.feeds.commands import register_feed_commands

    register_feed_commands(app)
    return app


def _require_real_secret(app: Flask) -> None:
    """Outside debug, testing and development, refuse to run with a missing or dev secret."""
    secret = app.config.get("SECRET_KEY")
    relaxed = app.debug or app.testing or app.config.get("DEVELOPMENT")
    if secret and secret != DEV_SECRET:
        return
    if relaxed:
        app.config["SECRET_KEY"] = secret or DEV_SECRET
        return
    raise RuntimeError(
        "SECRET_KEY is not set. Cohort signs sessions and emailed links with it, so it will not "
        "start in production without one. Set SECRET_KEY to a long random value, e.g. "
        "`export SECRET_KEY=$(python3 -c 'import secrets; print(secrets.token_hex(32))')`, "
        "or set COHORT_ENV=development on your own machine (`make run` does this for you)."
    )
