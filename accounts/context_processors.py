from django.utils.functional import SimpleLazyObject


def organization(request):
    """The current organization and membership, and (lazily) the user's other ones."""

    def _memberships():
        if not request.user.is_authenticated:
            return []
        return list(
            request.user.memberships.select_related("organization").order_by("organization__name")
        )

    return {
        "organization": getattr(request, "organization", None),
        "membership": getattr(request, "membership", None),
        "my_memberships": SimpleLazyObject(_memberships),
    }
