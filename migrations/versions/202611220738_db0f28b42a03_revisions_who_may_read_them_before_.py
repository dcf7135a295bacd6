"""revisions: who may read them (before publication, redacted)

Earlier versions of posts and replies were public to anyone who could read the post, including a
held original a moderator edited before approving it (a phone number, say) and the text a
moderator edited out of a published post. Two flags let policies.can_see_revision keep those
from other readers. The backfill errs on hiding: a version written before the first publication
counts as unpublished, and every version up to a moderator's edit of published text counts as
redacted (a moderator's edit is one by someone other than the author).

Revision ID: db0f28b42a03
Revises: 467206afcfde
Create Date: 2026-11-22 07:38:03.098906

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'db0f28b42a03'
down_revision = '467206afcfde'
branch_labels = None
depends_on = None


revisions = sa.table(
    'revisions',
    sa.column('id', sa.Integer), sa.column('post_id', sa.Integer),
    sa.column('reply_id', sa.Integer), sa.column('editor_id', sa.Integer),
    sa.column('written_at', sa.DateTime), sa.column('before_publication', sa.Boolean),
    sa.column('redacted', sa.Boolean),
)
targets = {
    'post_id': sa.table(
        'posts', sa.column('id', sa.Integer), sa.column('author_id', sa.Integer),
        sa.column('published_at', sa.DateTime),
    ),
    'reply_id': sa.table(
        'replies', sa.column('id', sa.Integer), sa.column('author_id', sa.Integer),
        sa.column('published_at', sa.DateTime),
    ),
}


def _backfill():
    later = revisions.alias('later')
    for key, target in targets.items():
        own = revisions.c[key]
        op.execute(
            revisions.update()
            .where(own.is_not(None))
            .where(
                sa.exists().where(
                    target.c.id == own,
                    sa.or_(
                        target.c.published_at.is_(None),
                        revisions.c.written_at < target.c.published_at,
                    ),
                )
            )
            .values(before_publication=True)
        )
        op.execute(
            revisions.update()
            .where(own.is_not(None))
            .where(
                sa.exists().where(
                    later.c[key] == own,
                    later.c.id >= revisions.c.id,
                    target.c.id == own,
                    later.c.editor_id.is_not(None),
                    later.c.editor_id != sa.func.coalesce(target.c.author_id, -1),
                    target.c.published_at.is_not(None),
                    later.c.written_at >= target.c.published_at,
                )
            )
            .values(redacted=True)
        )


def upgrade():
    with op.batch_alter_table('revisions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('before_publication', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('redacted', sa.Boolean(), server_default=sa.false(), nullable=False))
    _backfill()


def downgrade():
    with op.batch_alter_table('revisions', schema=None) as batch_op:
        batch_op.drop_column('redacted')
        batch_op.drop_column('before_publication')
