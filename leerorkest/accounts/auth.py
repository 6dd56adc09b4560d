"""Hooks for django-axes."""


def axes_username(request, credentials) -> str | None:
    """Count failed logins per address however the e-mail address was capitalised."""
    source = credentials if credentials else getattr(request, "POST", {})
    username = source.get("username") if source else None
    return username.strip().lower() if isinstance(username, str) else None
