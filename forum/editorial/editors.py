"""The editors' blueprint as create_app registers it: staff.bp with every screen's routes
attached (importing a screen module attaches its routes)."""

from __future__ import annotations

from forum.editorial import article_views, tag_views
from forum.editorial.staff import bp

SCREENS = (article_views, tag_views)  # imported for their routes on bp

__all__ = ["bp", "SCREENS"]
