from __future__ import annotations


class DirectoryUnavailable(Exception):
    """The directory could not answer (down, unreachable, refusing the service account).

    Raised out of authenticate() on purpose: Django then sends no user_login_failed, so django-axes
    does not count an outage against the people trying to sign in; the login form shows a message."""
