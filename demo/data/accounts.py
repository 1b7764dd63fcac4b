"""Demo organizations and people, as data.

The logins are the ones README.md publishes; every demo password is the same. A person is
named elsewhere in the demo data by their login's local part (``owner`` is owner@demo.test).
"""

PASSWORD = "accord-demo"  # noqa: S105 (published demo login)

# slug: name, time zone, weekday of the health review (0 is Monday), the owner who creates it.
ORGANIZATIONS = {
    "northwind": {
        "name": "Northwind",
        "time_zone": "Europe/London",
        "review_weekday": 0,
        "owner": "owner@demo.test",
    },
    "globex": {
        "name": "Globex",
        "time_zone": "America/New_York",
        "review_weekday": 1,
        "owner": "other@demo.test",
    },
}

# Everyone who signs in. The owners come with their organization (as owner and approver);
# the others are its members with the role given.
PEOPLE = [
    {"email": "owner@demo.test", "name": "Olivia Hart", "organization": "northwind"},
    {
        "email": "manager@demo.test",
        "name": "Marcus Lee",
        "organization": "northwind",
        "role": "manager",
    },
    {
        "email": "viewer@demo.test",
        "name": "Vera Quinn",
        "organization": "northwind",
        "role": "viewer",
    },
    {"email": "other@demo.test", "name": "Otto Grant", "organization": "globex"},
]
