from .actor import acting_as, request_actor


class AuditActorMiddleware:
    """Changes made while handling a request are recorded as made by its user (see actor.py)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with acting_as(request_actor(request)):
            return self.get_response(request)
