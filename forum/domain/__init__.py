"""The domain layer: models, services and policies.

No request, session, flash, url_for or templates in here.
"""
