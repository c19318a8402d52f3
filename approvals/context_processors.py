from django.conf import settings

from .roles import ROLE_LABELS, user_roles


def roles(request):
    user = getattr(request, "user", None)
    mine = user_roles(user) if user is not None else set()
    return {
        "user_roles": mine,
        "user_role_labels": [ROLE_LABELS[r] for r in ROLE_LABELS if r in mine],
        "AUTHORITY_NAME": settings.AUTHORITY_NAME,
    }
