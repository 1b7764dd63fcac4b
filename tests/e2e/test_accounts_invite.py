import re

import pytest
from django.core import mail

from accounts.models import Membership, Role
from demo.data.accounts import PASSWORD
from demo.loaders import accounts as demo_accounts
from tests.e2e.conftest import login

pytestmark = pytest.mark.browser


def test_owner_invites_a_member_who_accepts_and_then_gets_a_new_role(
    live_server, transactional_db, new_context
):
    orgs, _ = demo_accounts.load()
    owner_page = new_context().new_page()
    login(owner_page, live_server, "owner@demo.test", PASSWORD)
    owner_page.goto(f"{live_server.url}/org/members/")

    # a bad address gets a field error in place
    owner_page.fill("input[name=email]", "not an address")
    owner_page.click("text=Send invitation")
    owner_page.wait_for_selector(".errorlist")

    owner_page.fill("input[name=email]", "nora@northwind.test")
    owner_page.select_option("#id_role", "viewer")
    owner_page.click("text=Send invitation")
    owner_page.wait_for_selector("text=nora@northwind.test")

    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/org/invitations/accept/\S+/", mail.outbox[0].body).group(0)
    path = link.split("/org/", 1)[1]

    # the invited person, in a separate browser context with no session
    member_page = new_context().new_page()
    member_page.goto(f"{live_server.url}/org/{path}")
    member_page.click("text=Create account")
    member_page.fill("input[name=email]", "nora@northwind.test")
    member_page.fill("input[name=full_name]", "Nora Newcomer")
    member_page.fill("input[name=password1]", "lantern-Fjord-42")
    member_page.fill("input[name=password2]", "lantern-Fjord-42")
    member_page.click("form button[type=submit]")
    member_page.click("text=Accept invitation")
    member_page.wait_for_selector("text=Welcome to Northwind")
    membership = Membership.objects.get(
        organization=orgs["northwind"], user__email="nora@northwind.test"
    )
    assert membership.role == Role.VIEWER

    # the owner promotes the new member without a page reload
    owner_page.goto(f"{live_server.url}/org/members/")
    row = owner_page.locator(f"#member-{membership.uuid}")
    row.locator("select[name=role]").select_option("manager")
    row.locator("text=Save").click()
    owner_page.wait_for_selector("text=is now Manager")
    membership.refresh_from_db()
    assert membership.role == Role.MANAGER
