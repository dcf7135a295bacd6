"""Reading a story or thread with its replies."""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_login import current_user

from forum.domain.services import posts

bp = Blueprint("posts", __name__, url_prefix="/posts")


@bp.route("/new", methods=("GET", "POST"))
def new():
    from flask import abort

    abort(404)  # SCAFFOLD


@bp.get("/<int:post_id>", defaults={"slug": None})
@bp.get("/<int:post_id>/<slug>")
def show(post_id: int, slug: str | None):
    post = posts.get_visible_or_404(post_id, viewer=current_user)
    if slug != post.slug:
        return redirect(url_for("posts.show", post_id=post.id, slug=post.slug, **request.args), 301)
    after = request.args.get("after", type=int)
    replies = posts.replies_page(
        post, viewer=current_user, after=after, limit=current_app.config["REPLIES_PER_PAGE"]
    )
    return render_template(
        "posts/show.html", post=post, tags=posts.sorted_tags(post.tags), replies=replies
    )
