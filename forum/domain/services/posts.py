"""Stories, threads and replies: building them, listing them, and who sees what.

Listings are keyset-paginated on (published_at, id), newest first: the cursor names the last
item shown, so page 1,000 costs what page 1 costs, and a post published between two clicks
lands above the cursor instead of pushing an item onto the next page twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Generic, TypeVar

from sqlalchemy import Select, delete, select, tuple_, update
from sqlalchemy.orm import joinedload, selectinload

from forum.domain import policies
from forum.domain.models import (
    Draft,
    ExperienceStatus,
    Post,
    PostKind,
    PostStatus,
    PostTag,
    Reply,
    Revision,
    Tag,
    TagKind,
    User,
    utcnow,
)
from forum.domain.models.post import (
    MAX_BODY_LENGTH,
    MAX_DURATION_LENGTH,
    MAX_EXCERPT_LENGTH,
    MAX_REPLY_LENGTH,
    MAX_TAGS_PER_POST,
    MAX_TITLE_LENGTH,
)
from forum.domain.services import mentions, moderation, notifications, search
from forum.domain.services import tags as tag_service
from forum.errors import DomainError, NotFound, Problems, Removal, Removed
from forum.extensions import db
from forum.text import RENDERER_VERSION, excerpt, render_user_text

T = TypeVar("T")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Cursor:
    """Where a listing page ends: the (published_at, id) of its last item."""

    at: datetime
    id: int

    def encode(self) -> str:
        return f"{(self.at - _EPOCH) // timedelta(microseconds=1)}.{self.id}"

    @classmethod
    def decode(cls, raw: str | None) -> Cursor | None:
        if not raw:
            return None
        try:
            micros, _, ident = raw.partition(".")
            at = _EPOCH + timedelta(microseconds=int(micros))
            cursor = cls(at, int(ident))
        except (ValueError, OverflowError) as err:
            raise DomainError(
                "That “view more” link is broken or was cut short. Start again from the newest."
            ) from err
        if cursor.id < 0:
            raise DomainError("That “view more” link is not valid. Start again from the newest.")
        return cursor


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    next_cursor: Cursor | None


def _card_options():
    """What a post card shows: author and tags, loaded in a fixed number of queries."""
    return (joinedload(Post.author), selectinload(Post.tags))


def _page_of_posts(query: Select, limit: int, key) -> Page[Post]:
    rows = list(db.session.scalars(query.limit(limit + 1)).unique())
    more = len(rows) > limit
    items = rows[:limit]
    return Page(items, key(items[-1]) if more and items else None)


def tag_listing(tag: Tag, *, before: Cursor | None = None, limit: int = 20) -> Page[Post]:
    """Published posts under `tag`, newest first: one range scan of ix_post_tags_listing."""
    query = (
        select(Post)
        .join(PostTag, PostTag.post_id == Post.id)
        .where(PostTag.tag_id == tag.id, PostTag.listed_at.is_not(None))
        .order_by(PostTag.listed_at.desc(), PostTag.post_id.desc())
        .options(*_card_options())
    )
    if before is not None:
        query = query.where(tuple_(PostTag.listed_at, PostTag.post_id) < (before.at, before.id))
    return _page_of_posts(query, limit, lambda p: Cursor(p.published_at, p.id))


def pinned_in(tag: Tag) -> list[Post]:
    """Posts moderators pinned on this tag's page (published ones), most recently pinned first."""
    return list(
        db.session.scalars(
            select(Post)
            .join(PostTag, PostTag.post_id == Post.id)
            .where(
                PostTag.tag_id == tag.id,
                PostTag.pinned_at.is_not(None),
                PostTag.listed_at.is_not(None),
            )
            .order_by(PostTag.pinned_at.desc())
            .limit(5)
            .options(*_card_options())
        ).unique()
    )


def latest(*, before: Cursor | None = None, limit: int = 10) -> Page[Post]:
    """Published posts across the site, newest first."""
    query = (
        select(Post)
        .where(Post.status == PostStatus.PUBLISHED)
        .order_by(Post.published_at.desc(), Post.id.desc())
        .options(*_card_options())
    )
    if before is not None:
        query = query.where(tuple_(Post.published_at, Post.id) < (before.at, before.id))
    return _page_of_posts(query, limit, lambda p: Cursor(p.published_at, p.id))


def by_author(author: User, *, before: Cursor | None = None, limit: int = 20) -> Page[Post]:
    """A member's published posts for their profile, newest first."""
    query = (
        select(Post)
        .where(Post.author_id == author.id, Post.status == PostStatus.PUBLISHED)
        .order_by(Post.published_at.desc(), Post.id.desc())
        .options(*_card_options())
    )
    if before is not None:
        query = query.where(tuple_(Post.published_at, Post.id) < (before.at, before.id))
    return _page_of_posts(query, limit, lambda p: Cursor(p.published_at, p.id))


def _removed(obj: Post | Reply, what: str) -> Removed:
    """The 410 for readers of something removed: who removed it (its author or a moderator)."""
    by_author = obj.removed_by_id is not None and obj.removed_by_id == obj.author_id
    removed_at = obj.removed_at or obj.updated_at
    return Removed(Removal(what, removed_at, by_author, obj.removal_reason))


def get_visible_or_404(post_id: int, *, viewer) -> Post:
    """The post if `viewer` may read it. Raises NotFound, or Removed (410) for other readers
    of a removed post; its author and moderators still see it."""
    post = db.session.get(Post, post_id, options=[joinedload(Post.author), selectinload(Post.tags)])
    if post is None:
        raise NotFound("We couldn't find that post. It may have been moved, or the link is wrong.")
    if post.status is PostStatus.REMOVED and not policies.can_read_removed_text(viewer, post):
        raise _removed(post, post.kind.value)
    if not policies.can_see_post(viewer, post):
        raise NotFound("We couldn't find that post. It may have been moved, or the link is wrong.")
    return post


def replies_page(post: Post, *, viewer, after: int | None = None, limit: int = 100) -> Page[Reply]:
    """Replies oldest first, keyset on id."""
    query = (
        select(Reply)
        .where(Reply.post_id == post.id, policies.visible_replies(viewer))
        .order_by(Reply.id)
        .options(joinedload(Reply.author))
    )
    if after is not None:
        query = query.where(Reply.id > after)
    rows = list(db.session.scalars(query.limit(limit + 1)))
    more = len(rows) > limit
    items = rows[:limit]
    return Page(items, Cursor(items[-1].created_at, items[-1].id) if more else None)


def sorted_tags(tags: list[Tag]) -> list[Tag]:
    """Drugs first, then conditions, then topics; by name within each."""
    order = {TagKind.DRUG: 0, TagKind.CONDITION: 1, TagKind.TOPIC: 2}
    return sorted(tags, key=lambda t: (order[t.kind], t.name_key))


# --- building content (used by the posting service, the demo and the tests) ------------------


def render_into(obj, source: str, *, min_heading: int = 3) -> None:
    """Store new text for a post, reply or article: the source, its cached safe HTML, and its
    search document. Every change of text goes through here (set the title first)."""
    obj.body = source
    obj.body_html = str(
        render_user_text(source, min_heading=min_heading, wiki=tag_service.wiki_resolver())
    )
    obj.body_html_version = RENDERER_VERSION
    search.sync(obj)


def sync_listing(post: Post) -> None:
    """Keep post_tags.listed_at in step with the post (set while public, NULL otherwise), and
    mark its tag pages changed. Call it after any change a post card shows."""
    listed_at = post.published_at if post.status is PostStatus.PUBLISHED else None
    for link in post.tag_links:
        link.listed_at = listed_at
    tag_service.touch(link.tag_id or link.tag.id for link in post.tag_links)


def set_tags(post: Post, tags: list[Tag]) -> None:
    wanted = {tag.id: tag for tag in tags}
    dropped = [link.tag_id for link in post.tag_links if link.tag_id not in wanted]
    tag_service.touch(dropped)
    post.tag_links = [link for link in post.tag_links if link.tag_id in wanted]
    have = {link.tag_id for link in post.tag_links}
    for tag_id, tag in wanted.items():
        if tag_id not in have:
            post.tag_links.append(PostTag(tag=tag, tag_id=tag_id))
    sync_listing(post)


def build_post(
    *,
    author: User | None,
    kind: PostKind,
    title: str,
    body: str,
    tags: list[Tag],
    status: PostStatus,
    at: datetime | None = None,
    experience_duration: str | None = None,
    experience_status: ExperienceStatus | None = None,
) -> Post:
    """A new post with its tags and rendered body, added to the session (not committed)."""
    at = at or utcnow()
    post = Post(
        kind=kind,
        author=author,
        title=" ".join(title.split()),
        slug=_slug(title, kind),
        status=status,
        created_at=at,
        updated_at=at,
        last_activity_at=at,
        reply_count=0,
        published_at=at if status is PostStatus.PUBLISHED else None,
        experience_duration=experience_duration,
        experience_status=experience_status,
        excerpt=excerpt(body, MAX_EXCERPT_LENGTH),
    )
    # [[wiki]] links query tags while rendering: don't flush the half-built post meanwhile.
    with db.session.no_autoflush:
        render_into(post, body)
    db.session.add(post)
    set_tags(post, tags)
    return post


def build_reply(
    *, post: Post, author: User | None, body: str, status: PostStatus, at: datetime | None = None
) -> Reply:
    """A new reply, added to the session (not committed); a published one counts on the post."""
    at = at or utcnow()
    reply = Reply(
        post=post,
        author=author,
        status=status,
        created_at=at,
        updated_at=at,
        published_at=at if status is PostStatus.PUBLISHED else None,
    )
    render_into(reply, body)
    db.session.add(reply)
    if status is PostStatus.PUBLISHED:
        post.reply_count += 1
        post.last_activity_at = max(post.last_activity_at, at)
        tag_service.touch(link.tag_id for link in post.tag_links)  # cards show reply counts
    return reply


def _slug(title: str, kind: PostKind) -> str:
    """The readable part of a post's URL; a title of only symbols still gets one."""
    return tag_service.slugify(title)[:80].strip("-") or kind.value


# --- writing: what members publish, edit and delete (each public function commits once) -------

POSTING_TAG_KINDS = (TagKind.DRUG, TagKind.CONDITION)  # what makes a post findable


@dataclass(frozen=True)
class PostDraft:
    """A story or thread as the member typed it, shaped by the form."""

    kind: PostKind | None  # None: not chosen yet (a draft may be unfinished)
    title: str
    body: str
    tag_names: list[str]
    experience_duration: str | None = None
    experience_status: ExperienceStatus | None = None
    confirmed: bool = False  # sent despite personal information screening found


@dataclass(frozen=True)
class ReplyDraft:
    body: str
    confirmed: bool = False


@dataclass(frozen=True)
class PostPreview:
    """What publishing a draft would show; `problems` are what would stop it (for the form)."""

    draft: PostDraft
    title: str
    tags: list[Tag]
    problems: list[DomainError]
    # Drugs named in the text but not among its tags: offered, never applied.
    mentions: mentions.Mentions = mentions.NONE


@dataclass(frozen=True)
class Version:
    """One version of a post or reply in its history. `withheld` stands in for the versions a
    moderator edited away, which this viewer may not read: it is dated when that happened."""

    title: str | None
    body: str
    written_at: datetime
    current: bool
    before_publication: bool = False
    redacted: bool = False
    withheld: bool = False


def _require(reason: str | None) -> None:
    policies.require(reason is None, reason or "")


def _length_problem(value: str, limit: int, field: str, what: str) -> DomainError | None:
    if len(value) > limit:
        return DomainError(
            f"Please keep {what} under {limit:,} characters; it has {len(value):,} now.",
            field=field,
        )
    return None


def _check_length(value: str, limit: int, field: str, what: str) -> None:
    if (problem := _length_problem(value, limit, field, what)) is not None:
        raise problem


def _raise_all(problems: list[DomainError]) -> None:
    """Every problem at once, each on its own field: one as itself, several as Problems."""
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise Problems(problems)


def _text_problems(draft: PostDraft) -> list[DomainError]:
    """What the form also checks, for callers that skip it: all of it, not the first."""
    noun = draft.kind.value if draft.kind else "post"
    problems = []
    if draft.kind is None:
        problems.append(DomainError("Choose a story or a thread.", field="kind"))
    if not draft.title.strip():
        problems.append(DomainError(f"Give your {noun} a title.", field="title"))
    if not draft.body.strip():
        problems.append(DomainError(f"Write your {noun} before publishing it.", field="body"))
    for value, limit, field, what in (
        (draft.title, MAX_TITLE_LENGTH, "title", "the title"),
        (draft.body, MAX_BODY_LENGTH, "body", f"your {noun}"),
        (draft.experience_duration or "", MAX_DURATION_LENGTH, "experience_duration", "it"),
    ):
        problems.append(_length_problem(value, limit, field, what))
    return [problem for problem in problems if problem is not None]


def _check_reply_text(body: str) -> None:
    if not body.strip():
        raise DomainError("Write something before posting.", field="body")
    _check_length(body, MAX_REPLY_LENGTH, "body", "your reply")


def check_post_tags(names: list[str]) -> tuple[list[Tag], list[DomainError]]:
    """Canonical tags for the names typed (aliases resolve), and every problem with them
    (field "tags"): unknown names, too many tags, no drug or condition."""
    if len(set(names)) > 2 * MAX_TAGS_PER_POST:  # not worth looking up
        return [], [DomainError(f"Choose up to {MAX_TAGS_PER_POST} tags.", field="tags")]
    found, unknown = tag_service.resolve_many(names)
    problems = []
    if unknown:
        listed = ", ".join(f"“{name}”" for name in unknown)
        called = "a tag called" if len(unknown) == 1 else "tags called"
        problems.append(
            DomainError(
                f"We don’t have {called} {listed}. Check the spelling, or choose from the "
                "suggestions. Only our editors add new tags: if one is missing, leave it out and "
                "mention it in your text.",
                field="tags",
            )
        )
    if len(found) > MAX_TAGS_PER_POST:
        problems.append(
            DomainError(
                f"Choose up to {MAX_TAGS_PER_POST} tags: the ones that matter most to your post.",
                field="tags",
            )
        )
    if not any(tag.kind in POSTING_TAG_KINDS for tag in found):
        problems.append(
            DomainError(
                "Add at least one drug or condition, so people who live with it can find your "
                "post.",
                field="tags",
            )
        )
    return found, problems


def resolve_post_tags(names: list[str]) -> list[Tag]:
    """Canonical tags for the names typed. Raises DomainError(field="tags") or Problems: every
    problem check_post_tags finds."""
    found, problems = check_post_tags(names)
    _raise_all(problems)
    return found


def preview_post(draft: PostDraft) -> PostPreview:
    """What publishing `draft` would show. Saves nothing; tag problems come back in the preview
    rather than raised, so the member still sees their text rendered."""
    tags, problems = check_post_tags(draft.tag_names)
    found = mentions.find(f"{draft.title}\n{draft.body}", chosen=tags)
    return PostPreview(draft, " ".join(draft.title.split()), sorted_tags(tags), problems, found)


def create_post(author: User, draft: PostDraft, *, saved_draft_id: int | None = None) -> Post:
    """Publish a new story or thread, or hold it for review, as moderation decides; the saved
    draft it came from is deleted. Raises NotAllowed, or DomainError(field=...)."""
    _require(policies.why_cannot_post(author))
    tags, tag_problems = check_post_tags(draft.tag_names)
    _raise_all(_text_problems(draft) + tag_problems)
    decision = moderation.decide(
        author, title=draft.title, body=draft.body, confirmed=draft.confirmed
    )
    story = draft.kind is PostKind.STORY
    post = build_post(
        author=author,
        kind=draft.kind,
        title=draft.title,
        body=draft.body,
        tags=tags,
        status=decision.status,
        experience_duration=draft.experience_duration if story else None,
        experience_status=draft.experience_status if story else None,
    )
    if saved_draft_id is not None:
        db.session.execute(
            delete(Draft).where(Draft.id == saved_draft_id, Draft.author_id == author.id)
        )
    moderation.record(post, decision)
    db.session.commit()
    if post.is_published:
        notifications.announce(post)
    return post


def create_reply(author: User, post: Post, draft: ReplyDraft) -> Reply:
    """Reply to a thread or comment on a story. Raises NotAllowed (locked, unpublished, or
    the member may not post), or DomainError(field="body")."""
    _require(policies.why_cannot_reply(author, post))
    _check_reply_text(draft.body)
    decision = moderation.decide(author, body=draft.body, confirmed=draft.confirmed)
    reply = build_reply(post=post, author=author, body=draft.body, status=decision.status)
    moderation.record(reply, decision)
    db.session.commit()
    if reply.is_published:
        notifications.announce(reply)
    return reply


def _status_after_edit(current: PostStatus, decision: moderation.Decision) -> PostStatus:
    """An edit may send published text back to review but never skips review: held text
    stays held, removed stays removed, and rejected text goes back to the queue."""
    if current is PostStatus.REJECTED:
        return PostStatus.PENDING
    if current is PostStatus.PUBLISHED:
        return decision.status
    return current


def refresh_text(obj: Post | Reply, body: str) -> None:
    """New text for a post or reply: its cached HTML, and a post's excerpt."""
    if isinstance(obj, Post):
        obj.excerpt = excerpt(body, MAX_EXCERPT_LENGTH)
    render_into(obj, body)


def _revision_column(obj: Post | Reply):
    return Revision.post_id if isinstance(obj, Post) else Revision.reply_id


def keep_revision(obj: Post | Reply, actor: User) -> None:
    """Store the version an edit is about to replace, dated when it was written, and marked
    when readers never saw it (nothing of it had been published yet)."""
    target = {"post_id": obj.id} if isinstance(obj, Post) else {"reply_id": obj.id}
    db.session.add(
        Revision(
            **target,
            title=getattr(obj, "title", None),
            body=obj.body,
            editor_id=actor.id,  # whose edit replaced this version
            written_at=obj.edited_at or obj.published_at or obj.created_at,
            before_publication=obj.published_at is None,
        )
    )


def check_staff_text(obj: Post | Reply, *, title: str | None, body: str) -> None:
    """What a moderator's edit must respect, checked before anything changes. Raises
    DomainError(field=...) or Problems."""
    if isinstance(obj, Post):
        _raise_all(_text_problems(PostDraft(obj.kind, title or obj.title, body, [])))
    else:
        _check_reply_text(body)


def apply_staff_edit(obj: Post | Reply, actor: User, *, title: str | None, body: str) -> None:
    """A moderator's change to someone's text, in the caller's transaction (it is logged
    there). The replaced version is kept; once the text has been public, the change is a
    redaction and every earlier version is kept from readers (policies.can_see_revision)."""
    keep_revision(obj, actor)
    if isinstance(obj, Post) and title:
        obj.title = " ".join(title.split())
        obj.slug = _slug(obj.title, obj.kind)  # the old title may be what had to go
    refresh_text(obj, body)
    obj.edited_at = utcnow()
    if obj.published_at is not None:
        db.session.flush()
        db.session.execute(
            update(Revision).where(_revision_column(obj) == obj.id).values(redacted=True)
        )
    if isinstance(obj, Post):
        sync_listing(obj)  # cards show the title and excerpt


def edit_post(post: Post, *, actor: User, draft: PostDraft) -> Post:
    """Apply an edit (the kind stays), keeping the previous version as a Revision and the tag
    pages in step. Raises NotAllowed, or DomainError(field=...)."""
    _require(policies.why_cannot_edit(actor, post))
    draft = PostDraft(**{**draft.__dict__, "kind": post.kind})
    tags, tag_problems = check_post_tags(draft.tag_names)
    _raise_all(_text_problems(draft) + tag_problems)
    decision = moderation.decide(
        actor, title=draft.title, body=draft.body, is_edit=True, confirmed=draft.confirmed
    )
    keep_revision(post, actor)
    post.title = " ".join(draft.title.split())
    post.slug = _slug(post.title, post.kind)
    was_waiting = post.status in (PostStatus.PENDING, PostStatus.REJECTED)
    refresh_text(post, draft.body)
    if post.kind is PostKind.STORY:
        post.experience_duration = draft.experience_duration
        post.experience_status = draft.experience_status
    post.status = _status_after_edit(post.status, decision)
    post.edited_at = utcnow()
    set_tags(post, tags)  # bumps every tag page the post was or is on
    if post.status is PostStatus.PENDING:
        moderation.record(post, decision, waiting=was_waiting)
    db.session.commit()
    return post


def _uncount_reply(post: Post) -> None:
    db.session.execute(
        update(Post).where(Post.id == post.id).values(reply_count=Post.reply_count - 1)
    )
    tag_service.touch(link.tag_id for link in post.tag_links)  # cards show reply counts


def edit_reply(reply: Reply, *, actor: User, draft: ReplyDraft) -> Reply:
    """Apply an edit to a reply, keeping the previous version. Raises NotAllowed or
    DomainError(field="body")."""
    _require(policies.why_cannot_edit(actor, reply))
    _check_reply_text(draft.body)
    decision = moderation.decide(actor, body=draft.body, is_edit=True, confirmed=draft.confirmed)
    keep_revision(reply, actor)
    was_waiting = reply.status in (PostStatus.PENDING, PostStatus.REJECTED)
    refresh_text(reply, draft.body)
    was_published = reply.is_published
    reply.status = _status_after_edit(reply.status, decision)
    reply.edited_at = utcnow()
    if was_published and not reply.is_published:
        _uncount_reply(reply.post)
    if reply.status is PostStatus.PENDING:
        moderation.record(reply, decision, waiting=was_waiting)
    db.session.commit()
    return reply


def _remove_by_author(obj: Post | Reply, actor: User) -> None:
    policies.require(policies.can_delete_own(actor, obj))
    obj.status = PostStatus.REMOVED
    obj.removed_at = utcnow()
    obj.removed_by_id = actor.id


def delete_post(post: Post, *, actor: User) -> Post:
    """The author's own delete: soft, so the text is kept and they still see it; other readers
    get a 410 page, and tag pages drop it. Raises NotAllowed."""
    _remove_by_author(post, actor)
    sync_listing(post)
    db.session.commit()
    return post


def delete_reply(reply: Reply, *, actor: User) -> Reply:
    """The author's own delete of a reply (soft); the post's reply count drops. Raises
    NotAllowed."""
    was_published = reply.is_published
    _remove_by_author(reply, actor)
    if was_published:
        _uncount_reply(reply.post)
    db.session.commit()
    return reply


def get_reply_or_404(reply_id: int, *, viewer) -> Reply:
    """The reply if `viewer` may read it and its post. Raises NotFound, or Removed (410)."""
    reply = db.session.get(Reply, reply_id, options=[joinedload(Reply.author)])
    if reply is None:
        raise NotFound("We couldn’t find that reply. It may have been moved, or the link is wrong.")
    get_visible_or_404(reply.post_id, viewer=viewer)
    if reply.status is PostStatus.REMOVED and not policies.can_read_removed_text(viewer, reply):
        raise _removed(reply, "reply")
    if not policies.can_see_reply(viewer, reply):
        raise NotFound("We couldn’t find that reply. It may have been moved, or the link is wrong.")
    return reply


def history(obj: Post | Reply, *, viewer) -> list[Version]:
    """Every version of a post or reply that `viewer` may read (policies.can_see_revision),
    the current one first. Raises NotFound."""
    if not policies.can_see_history(viewer, obj):
        raise NotFound("We couldn’t find the history of that post.")
    column = _revision_column(obj)
    revisions = db.session.scalars(
        select(Revision).where(column == obj.id).order_by(Revision.id)
    ).all()
    shown = [r for r in revisions if policies.can_see_revision(viewer, obj, r)]
    earlier = [
        Version(r.title, r.body, r.written_at, False, r.before_publication, r.redacted)
        for r in shown
    ]
    # Redacted versions are always the oldest ones: one notice in their place, dated by the
    # moderator's latest edit. Versions from before publication are simply not there.
    withheld = [r for r in revisions if r.redacted and r not in shown]
    if withheld:
        earlier.insert(0, Version(None, "", withheld[-1].created_at, False, withheld=True))
    current = Version(
        getattr(obj, "title", None),
        obj.body,
        obj.edited_at or obj.published_at or obj.created_at,
        current=True,
    )
    return [current, *reversed(earlier)]
