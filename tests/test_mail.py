"""The outbox: emails are rows first, then delivered by SMTP or written to the log."""

from __future__ import annotations

import socketserver
import threading

from forum import mail
from forum.domain.models import OutboxEmail
from forum.extensions import db


class FakeSMTP(socketserver.StreamRequestHandler):
    """Just enough SMTP to receive one message in a test."""

    received: list[str] = []

    def handle(self):
        self.wfile.write(b"220 fake ESMTP\r\n")
        data, in_data = [], False
        for raw in self.rfile:
            line = raw.decode()
            if in_data:
                if line == ".\r\n":
                    in_data = False
                    FakeSMTP.received.append("".join(data))
                    self.wfile.write(b"250 queued\r\n")
                else:
                    data.append(line)
                continue
            verb = line[:4].upper()
            if verb == "EHLO":
                self.wfile.write(b"250-fake\r\n250 AUTH PLAIN\r\n")
            elif verb == "DATA":
                in_data = True
                self.wfile.write(b"354 go ahead\r\n")
            elif verb == "QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            elif verb == "AUTH":
                self.wfile.write(b"235 ok\r\n")
            else:
                self.wfile.write(b"250 ok\r\n")


def queue_one(app, to="reader@example.com"):
    with app.test_request_context():
        mail.queue(
            to,
            "Hello",
            "password_changed",
            user=type("U", (), {"pseudonym": "sam"})(),
            reset="http://x/reset",
        )
        db.session.commit()


def test_without_smtp_emails_are_logged_and_marked_sent(app, caplog):
    queue_one(app)
    with app.app_context():
        assert mail.deliver_pending() == 1
        email = db.session.scalar(db.select(OutboxEmail))
        assert email.sent_at is not None and email.attempts == 1
    assert "SMTP_URL is not set" in caplog.text and "reader@example.com" in caplog.text


def test_smtp_delivery(app):
    server = socketserver.TCPServer(("127.0.0.1", 0), FakeSMTP)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        app.config["SMTP_URL"] = (
            f"smtp://user:secret@127.0.0.1:{server.server_address[1]}?starttls=0"
        )
        queue_one(app)
        with app.app_context():
            assert mail.deliver_pending() == 1
    finally:
        server.shutdown()
        server.server_close()
    message = FakeSMTP.received[-1]
    assert "To: reader@example.com" in message and "Subject: Hello" in message
    assert "password for your Cohort account was just changed" in message


def test_failed_delivery_is_kept_for_a_retry(app):
    app.config["SMTP_URL"] = "smtp://127.0.0.1:1?starttls=0"  # nothing listens there
    queue_one(app)
    with app.app_context():
        assert mail.deliver_pending() == 0
        email = db.session.scalar(db.select(OutboxEmail))
        assert email.sent_at is None and email.attempts == 1 and email.last_error


def test_a_request_delivers_its_emails_after_the_response(app, client):
    from tests.factories import make_user

    with app.app_context():
        make_user(email="known@example.com")
    response = client.post("/reset-password", data={"email": "known@example.com"})
    with app.app_context():
        assert db.session.scalar(db.select(OutboxEmail.sent_at)) is None  # not during the request
    response.close()  # the server closes the response once it is sent
    with app.app_context():
        email = db.session.scalar(db.select(OutboxEmail))
        assert email.sent_at is not None
