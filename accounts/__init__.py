"""Users, organizations, roles and invitations, and the one access check.

``scoping`` is how every view of every app reaches organization-owned rows (another
organization's object is a 404, a write below one's role a 403); ``services`` holds the
writes (the last-owner guard under a row lock); ``adapters`` and ``lockout`` tie django-allauth
and django-axes to the same client IP and lock an account and IP pair, never a whole account;
``checks`` are the deployment checks of sign-in; ``management/commands/migrate`` runs
migrations as the database's owner role when ``MIGRATION_DATABASE_URL`` is set.
"""
