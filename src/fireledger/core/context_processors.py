"""Template context every page needs: the user's role assignments (loaded once per request)."""

from .scope import assignments


def scope(request):
    user = getattr(request, "user", None)
    found = assignments(user)
    return {
        "user_assignments": found,
        # Officers (anyone but a unit manager alone) triage citizen reports.
        "user_is_officer": getattr(user, "is_superuser", False)
        or any(a.role != "unit_manager" for a in found),
    }
