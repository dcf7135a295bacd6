"""Account settings (scaffold: replaced later in the accounts-and-posting issue)."""

from __future__ import annotations

from flask import Blueprint, abort
from flask_login import login_required

bp = Blueprint("accounts", __name__, url_prefix="/account")


@bp.get("")
@login_required
def settings():
    abort(404)  # SCAFFOLD
