"""Template context every page needs: the user's role assignments (loaded once per request)."""

from .scope import assignments


def scope(request):
    return {"user_assignments": assignments(getattr(request, "user", None))}
