"""What sign-in tells the apps above it (the audit trail records it: audit/signals.py)."""

from __future__ import annotations

from django.dispatch import Signal

# Sent by accounts.services.user_sync_from_directory when a directory or OIDC sign-in changed the
# account: user, source ("ldap" or "oidc"), added and removed (role names, sorted), branch_changed
# and branch (the organisation's name, or "").
directory_sync_changed = Signal()
