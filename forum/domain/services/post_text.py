"""What a post's or reply's text and tags must be: the drafts members write, every problem
with them at once (for the form), tag resolution, and the preview."""

from __future__ import annotations

from dataclasses import dataclass

from forum.domain.models import (
    ExperienceStatus,
    Post,
    PostKind,
    Reply,
    Tag,
    TagKind,
)
from forum.domain.models.post import (
    MAX_BODY_LENGTH,
    MAX_DURATION_LENGTH,
    MAX_REPLY_LENGTH,
    MAX_TAGS_PER_POST,
    MAX_TITLE_LENGTH,
)
from forum.domain.services import listings, mentions
from forum.domain.services import tags as tag_service
from forum.errors import DomainError, Problems

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


def raise_all(problems: list[DomainError]) -> None:
    """Every problem at once, each on its own field: one as itself, several as Problems."""
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise Problems(problems)


def text_problems(draft: PostDraft) -> list[DomainError]:
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


def check_reply_text(body: str) -> None:
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
    raise_all(problems)
    return found


def preview_post(draft: PostDraft) -> PostPreview:
    """What publishing `draft` would show. Saves nothing; tag problems come back in the preview
    rather than raised, so the member still sees their text rendered."""
    tags, problems = check_post_tags(draft.tag_names)
    found = mentions.find(f"{draft.title}\n{draft.body}", chosen=tags)
    return PostPreview(
        draft, " ".join(draft.title.split()), listings.sorted_tags(tags), problems, found
    )


def check_staff_text(obj: Post | Reply, *, title: str | None, body: str) -> None:
    """What a moderator's edit must respect, checked before anything changes. Raises
    DomainError(field=...) or Problems."""
    if isinstance(obj, Post):
        raise_all(text_problems(PostDraft(obj.kind, title or obj.title, body, [])))
    else:
        check_reply_text(body)
