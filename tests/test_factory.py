"""create_app and configuration."""

from __future__ import annotations

import pytest

from forum import create_app
from forum.config import DEV_SECRET, database_url, load_config


def test_database_url_uses_psycopg3_for_postgres():
    assert database_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert database_url("sqlite:///x.db") == "sqlite:///x.db"


def test_default_database_is_sqlite_in_the_instance_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    config = load_config(str(tmp_path))
    assert config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path}/forum.sqlite3"
    assert config["WTF_CSRF_TIME_LIMIT"] is None


def test_production_refuses_to_start_without_a_secret(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("COHORT_ENV", raising=False)
    monkeypatch.setattr("forum.config._instance_secret", lambda path: None)
    with pytest.raises(RuntimeError, match="SECRET_KEY is not set"):
        create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db"})
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({"SECRET_KEY": DEV_SECRET, "SQLALCHEMY_DATABASE_URI": "sqlite://"})


def test_production_uses_secure_cookies_and_development_does_not(monkeypatch, tmp_path):
    monkeypatch.delenv("COHORT_ENV", raising=False)
    assert load_config(str(tmp_path))["SESSION_COOKIE_SECURE"] is True
    monkeypatch.setenv("COHORT_ENV", "development")
    config = load_config(str(tmp_path))
    assert config["SESSION_COOKIE_SECURE"] is False
    assert config["SESSION_COOKIE_HTTPONLY"] is True
    assert config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_development_and_testing_may_run_with_the_dev_secret(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setattr("forum.config._instance_secret", lambda path: None)
    monkeypatch.setenv("COHORT_ENV", "development")
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["SECRET_KEY"] == DEV_SECRET


def test_instance_secret_file_is_used_when_no_env_secret(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    (tmp_path / "secret_key").write_text("from-the-instance-folder\n")
    assert load_config(str(tmp_path))["SECRET_KEY"] == "from-the-instance-folder"


def test_security_headers_on_every_response(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_server_timing_header_only_when_asked(app, client):
    assert "Server-Timing" not in client.get("/").headers


def test_friendly_500_page_rolls_back_and_hides_details(app):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.get("/boom")
    def boom():
        raise ValueError("secret internals")

    response = app.test_client().get("/boom")
    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert "Something went wrong on our side" in html
    assert "secret internals" not in html
