"""Demo organizations and people (``manage.py seed_demo``)."""

from django.db import transaction

from .models import Membership, Organization, Role, User

DEMO_PASSWORD = "accord-demo"  # noqa: S105 (published demo login)

PEOPLE = [
    # email, name, organization slug, role, approver
    ("owner@demo.test", "Olivia Hart", "northwind", Role.OWNER, True),
    ("manager@demo.test", "Marcus Lee", "northwind", Role.MANAGER, False),
    ("viewer@demo.test", "Vera Quinn", "northwind", Role.VIEWER, False),
    ("other@demo.test", "Otto Grant", "globex", Role.OWNER, True),
]


@transaction.atomic
def seed() -> tuple[dict[str, Organization], dict[str, User]]:
    """Create (or find) Northwind and Globex and their demo members. Safe to run twice."""
    orgs = {
        "northwind": Organization.objects.get_or_create(
            slug="northwind",
            defaults={"name": "Northwind", "time_zone": "Europe/London", "review_weekday": 0},
        )[0],
        "globex": Organization.objects.get_or_create(
            slug="globex",
            defaults={"name": "Globex", "time_zone": "America/New_York", "review_weekday": 1},
        )[0],
    }
    users = {}
    for email, name, slug, role, can_approve in PEOPLE:
        user, created = User.objects.get_or_create(email=email, defaults={"full_name": name})
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        Membership.objects.get_or_create(
            organization=orgs[slug], user=user, defaults={"role": role, "can_approve": can_approve}
        )
        users[email.split("@")[0]] = user
    return orgs, users
