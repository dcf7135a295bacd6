"""moderation log is append-only in the database

Revision ID: 092337d4c5bc
Revises: 6aab72481deb
Create Date: 2026-11-22 04:58:33.084683

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '092337d4c5bc'
down_revision = '6aab72481deb'
branch_labels = None
depends_on = None


# Written out here rather than imported, so this migration never depends on application code.
SQLITE_UP = [
    "CREATE TRIGGER moderation_actions_no_delete BEFORE DELETE ON moderation_actions "
    "BEGIN SELECT RAISE(ABORT, 'the moderation log is append-only'); END",
    "CREATE TRIGGER moderation_actions_no_edit BEFORE UPDATE OF action, reason, rule_code, "
    "details, created_at, setting_key ON moderation_actions "
    "BEGIN SELECT RAISE(ABORT, 'the moderation log is append-only'); END",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS moderation_actions_no_delete",
    "DROP TRIGGER IF EXISTS moderation_actions_no_edit",
]
POSTGRESQL_UP = [
    "CREATE FUNCTION moderation_actions_append_only() RETURNS trigger AS $$ BEGIN "
    "IF TG_OP = 'DELETE' OR NEW.action IS DISTINCT FROM OLD.action "
    "OR NEW.reason IS DISTINCT FROM OLD.reason OR NEW.rule_code IS DISTINCT FROM OLD.rule_code "
    "OR NEW.details IS DISTINCT FROM OLD.details OR NEW.created_at IS DISTINCT FROM OLD.created_at "
    "OR NEW.setting_key IS DISTINCT FROM OLD.setting_key "
    "THEN RAISE EXCEPTION 'the moderation log is append-only'; END IF; "
    "IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW; END $$ LANGUAGE plpgsql",
    "CREATE TRIGGER moderation_actions_append_only BEFORE UPDATE OR DELETE ON moderation_actions "
    "FOR EACH ROW EXECUTE FUNCTION moderation_actions_append_only()",
]
POSTGRESQL_DOWN = [
    "DROP TRIGGER IF EXISTS moderation_actions_append_only ON moderation_actions",
    "DROP FUNCTION IF EXISTS moderation_actions_append_only()",
]


def _run(statements):
    for statement in statements:
        op.execute(statement)


def upgrade():
    dialect = op.get_bind().dialect.name
    _run(SQLITE_UP if dialect == "sqlite" else POSTGRESQL_UP if dialect == "postgresql" else [])


def downgrade():
    dialect = op.get_bind().dialect.name
    _run(SQLITE_DOWN if dialect == "sqlite" else POSTGRESQL_DOWN if dialect == "postgresql" else [])
