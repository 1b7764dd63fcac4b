"""Closed means closed (issue 12.12): Permissions-Policy on every page, and an admin site that
exists only for staff, at a path set in the environment."""

import importlib

import pytest
from django.test import override_settings
from django.urls import clear_url_caches, reverse

from accounts.checks import admin_has_its_own_path
from config import urls
from tests.accounts.test_login_limits import _production_setting
from tests.factories import UserFactory


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/accounts/login/", "/", "/no-such-page/"])
def test_every_response_sends_a_permissions_policy(client, path):
    header = client.get(path).headers["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"):
        assert feature in header
    assert "publickey-credentials-get=(self)" in header


def test_the_admin_is_a_404_for_anyone_but_staff(client, manager):
    assert client.get("/admin/").status_code == 404
    assert client.get("/admin/login/").status_code == 404
    client.force_login(manager)
    assert client.get("/admin/").status_code == 404
    staff = UserFactory(email="staff@accord.test", is_staff=True, is_superuser=True)
    client.force_login(staff)
    assert client.get("/admin/").status_code == 200


@pytest.fixture
def admin_at():
    """Mount the admin at another path for one test, then put the URLs back."""

    def mount(path):
        with override_settings(ADMIN_URL=path):
            importlib.reload(urls)
            clear_url_caches()
        return path

    yield mount
    importlib.reload(urls)
    clear_url_caches()


def test_the_admin_lives_at_the_path_from_the_environment(db, client, admin_at, settings):
    settings.ADMIN_URL = admin_at("backstage-51c7/")
    staff = UserFactory(email="staff@accord.test", is_staff=True, is_superuser=True)
    client.force_login(staff)
    assert reverse("admin:index") == "/backstage-51c7/"
    assert client.get("/backstage-51c7/").status_code == 200
    assert client.get("/admin/").status_code == 404


def test_production_has_no_admin_path_until_one_is_set(tmp_path):
    assert _production_setting("repr(settings.ADMIN_URL)", ACCORD_VAR_DIR=str(tmp_path)) == "''"
    admin = (
        "[str(p.pattern) for p in __import__('config.urls').urls.urlpatterns"
        " if getattr(p, 'app_name', '') == 'admin']"
    )
    assert _production_setting(admin, ACCORD_VAR_DIR=str(tmp_path)) == "[]"
    assert (
        _production_setting(admin, ACCORD_VAR_DIR=str(tmp_path), ADMIN_URL="/backstage-51c7")
        == "['backstage-51c7/']"
    )
    with override_settings(ADMIN_URL=""):
        assert [w.id for w in admin_has_its_own_path()] == ["accounts.W002"]
