from .scoping import current_membership


class OrganizationMiddleware:
    """Attach the current organization and membership to every request (one query)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        membership = current_membership(request)
        request.membership = membership
        request.organization = membership.organization if membership else None
        return self.get_response(request)
