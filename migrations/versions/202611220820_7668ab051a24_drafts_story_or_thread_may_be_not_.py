"""drafts: story or thread may be not chosen yet

A draft saved before its writer chose "story" or "thread" was stored as a story, so the drafts
page called it a story and reopening it preselected Story. The kind is now NULL until chosen.
Drafts saved earlier keep the kind they were given: which of them were never chosen is not known.
Going back down, an unchosen draft becomes a story again (what the old code did).

Revision ID: 7668ab051a24
Revises: db0f28b42a03
Create Date: 2026-11-22 08:20:45.923162

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7668ab051a24'
down_revision = 'db0f28b42a03'
branch_labels = None
depends_on = None


drafts = sa.table('drafts', sa.column('kind', sa.String(32)))


def upgrade():
    with op.batch_alter_table('drafts', schema=None) as batch_op:
        batch_op.alter_column('kind',
               existing_type=sa.VARCHAR(length=32),
               nullable=True)


def downgrade():
    op.execute(drafts.update().where(drafts.c.kind.is_(None)).values(kind='story'))
    with op.batch_alter_table('drafts', schema=None) as batch_op:
        batch_op.alter_column('kind',
               existing_type=sa.VARCHAR(length=32),
               nullable=False)
