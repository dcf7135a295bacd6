"""The moderation blueprint as create_app registers it: staff.bp with every screen's routes
attached (importing a screen module attaches its routes)."""

from __future__ import annotations

from forum.moderation import admin_views, content_views, log_views, member_views, queue_views
from forum.moderation.staff import bp

SCREENS = (queue_views, content_views, member_views, log_views, admin_views)

__all__ = ["bp", "SCREENS"]
