"""Readers can tell who wrote something: names lead to the member's page, staff wear a badge."""

from __future__ import annotations

from tests.factories import make_post, make_reply, make_tag, make_user


def test_names_link_to_members_and_staff_are_marked(app, client):
    with app.app_context():
        tag = make_tag(name="azathioprine")
        post = make_post(title="Week two", tags=[tag], author=make_user(pseudonym="quietriver"))
        make_reply(post, author=make_user(pseudonym="mod_ana", role="moderator"), body="Hi!")
        make_reply(post, author=make_user(pseudonym="dana_ed", role="editor"), body="Welcome.")
        make_reply(post, author=make_user(pseudonym="plainmember"), body="Same here.")
        path = f"/posts/{post.id}/{post.slug}"
    html = client.get(path).get_data(as_text=True)
    assert '<a class="author" href="/members/quietriver">quietriver</a>' in html
    assert 'href="/members/mod_ana">mod_ana</a> <span class="badge badge-staff">Moderator' in html
    assert 'href="/members/dana_ed">dana_ed</a> <span class="badge badge-staff">Editor' in html
    assert html.count("badge-staff") == 2
    card = client.get("/tags/azathioprine").get_data(as_text=True)
    assert 'by <a class="author" href="/members/quietriver">quietriver</a>' in card
    assert client.get("/members/quietriver").status_code == 200
