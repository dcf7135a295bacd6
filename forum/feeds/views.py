"""Following tags, the personal feed, notifications, Atom feeds, and unsubscribing."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required

from forum import mail
from forum.domain.models import DigestFrequency, FollowMode, User
from forum.domain.services import (
    accounts,
    credentials,
    follows,
    listings,
    notifications,
    posts,
    tags,
)
from forum.domain.services.listings import Cursor
from forum.errors import DomainError, NotFound
from forum.extensions import csrf
from forum.feeds import atom
from forum.forms import EmptyForm
from forum.http import db_id
from forum.pagecache import page_cache

bp = Blueprint("feeds", __name__)


def _me() -> User:
    return current_user._get_current_object()


def _tag_or_404(slug: str):
    found = tags.resolve_slug(slug)
    if found is None or getattr(found.tag, "merged_into_id", None):
        raise NotFound("We don’t have a page for that drug, condition or topic.")
    return found


# --- following ----------------------------------------------------------------------------------


@bp.post("/tags/<slug>/follow")
@login_required
def follow(slug: str):
    tag = _tag_or_404(slug).tag  # an alias follows the canonical tag
    if EmptyForm().validate_on_submit():
        try:
            mode = FollowMode(request.form.get("mode") or FollowMode.FEED.value)
        except ValueError:
            abort(400)
        try:
            follows.follow(_me(), tag, mode)
        except DomainError as err:
            flash(err.message, "warning")
        else:
            flash(f"You follow {tag.name}: {mode.label.lower()}.")
    return redirect(url_for("tags.show", slug=tag.slug))


@bp.post("/tags/<slug>/unfollow")
@login_required
def unfollow(slug: str):
    tag = _tag_or_404(slug).tag
    if EmptyForm().validate_on_submit():
        follows.unfollow(_me(), tag)
        flash(f"You no longer follow {tag.name}.")
    return redirect(
        request.form.get("back") == "following"
        and url_for("feeds.following")
        or url_for("tags.show", slug=tag.slug)
    )


def _chosen_modes(rows) -> dict:
    """Each followed tag's mode as submitted: None to unfollow; unchanged if not understood."""
    modes = {}
    for row in rows:
        raw = request.form.get(f"mode-{row.tag_id}")
        modes[row.tag_id] = (
            None
            if raw == "unfollow"
            else FollowMode(raw)
            if raw in {m.value for m in FollowMode}
            else row.mode
        )
    return modes


def _warn_if_unheard() -> None:
    if silent := follows.unheard_digest_tags(_me()):
        flash(
            f"You chose the email digest for {', '.join(silent)}, but digests are off, so "
            "you will hear nothing about "
            f"{'it' if len(silent) == 1 else 'them'}. Choose a weekly or daily digest, or "
            "show them in your feed.",
            "warning",
        )


@bp.route("/following", methods=("GET", "POST"))
@login_required
def following():
    rows = follows.followed(_me())
    if request.method == "POST" and EmptyForm().validate_on_submit():
        digest = request.form.get("digest_frequency")
        follows.save_choices(
            _me(),
            _chosen_modes(rows),
            digest_frequency=DigestFrequency(digest)
            if digest in {f.value for f in DigestFrequency}
            else None,
            email_notifications=request.form.get("email_notifications") == "y",
        )
        flash("Your choices are saved.")
        _warn_if_unheard()
        return redirect(url_for("feeds.following"))
    return render_template(
        "feeds/following.html",
        rows=rows,
        modes=list(FollowMode),
        frequencies=list(DigestFrequency),
        form=EmptyForm(),
    )


# --- the feed -----------------------------------------------------------------------------------


@bp.get("/feed")
@login_required
def feed():
    tag = None
    if slug := request.args.get("tag"):
        tag = _tag_or_404(slug).tag
    before = Cursor.decode(request.args.get("before"))
    page = follows.feed(_me(), tag=tag, before=before, limit=current_app.config["POSTS_PER_PAGE"])
    return render_template(
        "feeds/feed.html",
        page=page,
        tag=tag,
        rows=follows.followed(_me()),
        first_page=before is None,
    )


# --- notifications ------------------------------------------------------------------------------


@bp.get("/notifications")
@login_required
def notifications_page():
    size = notifications.PAGE_SIZE
    # One more than a page tells whether there is an older page to link to.
    items = notifications.recent(
        _me(), before_id=request.args.get("before", type=db_id), limit=size + 1
    )
    older = items[size - 1].notification.id if len(items) > size else None
    return render_template(
        "feeds/notifications.html", items=items[:size], older=older, form=EmptyForm()
    )


@bp.post("/notifications/<int:notification_id>/read")
@login_required
def read(notification_id: int):
    if EmptyForm().validate_on_submit():
        note = notifications.mark_read(_me(), notification_id)
        if note is None:
            abort(404)
        if request.form.get("open") and note.post_id:
            post = posts.get_visible_or_404(note.post_id, viewer=current_user)
            anchor = f"reply-{note.reply_id}" if note.reply_id else None
            return redirect(url_for("posts.show", post_id=post.id, slug=post.slug, _anchor=anchor))
    return redirect(url_for("feeds.notifications_page"))


@bp.post("/notifications/read-all")
@login_required
def read_all():
    if EmptyForm().validate_on_submit():
        count = notifications.mark_all_read(_me())
        flash("All caught up." if count else "Nothing was unread.")
    return redirect(url_for("feeds.notifications_page"))


# --- Atom ---------------------------------------------------------------------------------------


def _post_url(post) -> str:
    return mail.external_url("posts.show", post_id=post.id, slug=post.slug)


@bp.get("/feed.atom")
def site_atom():
    latest = listings.latest(limit=30).items
    body = atom.feed(
        title="Cohort: latest stories and threads",
        subtitle="What patients share about living with their medicines.",
        self_url=mail.external_url("feeds.site_atom"),
        page_url=mail.external_url("home.index"),
        posts=latest,
        post_url=_post_url,
    )
    return Response(body, mimetype="application/atom+xml")


@bp.get("/tags/<slug>/feed.atom")
def tag_atom(slug: str):
    found = _tag_or_404(slug)
    tag = found.tag
    if slug != tag.slug:
        return redirect(url_for("feeds.tag_atom", slug=tag.slug), 301)
    cache = page_cache()
    key = ("atom", tag.id, tag.listing_version)
    if cache is not None and (cached := cache.get(key)) is not None:
        return Response(cached, mimetype="application/atom+xml")
    listing = listings.tag_listing(tag, limit=30).items
    body = atom.feed(
        title=f"Cohort: {tag.name}",
        subtitle=tag.definition or f"Stories and threads about {tag.name}.",
        self_url=mail.external_url("feeds.tag_atom", slug=tag.slug),
        page_url=mail.external_url("tags.show", slug=tag.slug),
        posts=listing,
        post_url=_post_url,
    )
    if cache is not None:
        cache.put(key, body.decode("utf-8"))
    return Response(body, mimetype="application/atom+xml")


# --- unsubscribing (no login) -------------------------------------------------------------------


def _subscriber(token: str) -> User:
    try:
        payload = credentials.read_token("unsubscribe", token, max_age=10 * 365 * 24 * 3600)
    except DomainError as err:
        raise NotFound(err.message) from err
    user = accounts.find_subscriber(payload.get("uid"))
    if user is None:
        raise NotFound("That link isn’t valid any more.")
    return user


@bp.route("/email/unsubscribe/<token>", methods=("GET", "POST"))
@csrf.exempt  # the signed token is the authority; mail clients POST here (RFC 8058)
def unsubscribe(token: str):
    user = _subscriber(token)
    if request.method == "POST":
        follows.unsubscribe_all(user)
        return render_template("feeds/unsubscribed.html", user=user)
    return render_template("feeds/unsubscribe.html", user=user, token=token)
