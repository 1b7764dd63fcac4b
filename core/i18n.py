"""Which language a person reads Accord in, decided in one place.

Accord speaks English and Spanish (``settings.LANGUAGES``). A page, an e-mail or a PDF is in
its reader's language, chosen in this order (``resolve_language``):

1. the person's own setting (a member's ``User.language``, a partner contact's
   ``Contact.language``), because they chose it;
2. the language switcher's choice on this browser (its cookie), because it is a choice too,
   made by whoever holds the browser (a member's switch is also saved as their setting);
3. the language of the document they are asked to read, when there is one (a charter
   version's ``language`` on its signing page), so a signer we know nothing about reads the
   page around the charter in the charter's language;
4. their organization's default language (``Organization.default_language``), because an
   organization that works in Spanish wants its members and partners addressed in Spanish;
5. what the browser asks for (``Accept-Language``), for someone we know nothing about;
6. English (``settings.LANGUAGE_CODE``).

So: user setting > organization default > Accept-Language, with an explicit switch and the
document's own language in between where they exist. Background work (e-mails and PDFs
rendered by Celery workers) has no browser: it resolves the recipient's language with the same
function (steps 1, 3, 4) and renders inside ``translation.override``, so a worker never writes
in its own language or in the language of the last request it served.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

# Offered everywhere a language is chosen (each in its own name, as switchers show them).
LANGUAGE_CHOICES = [(code, name) for code, name in settings.LANGUAGES]
# A person's own setting may be blank: "no preference of my own", the organization's applies.
PERSONAL_LANGUAGE_CHOICES = [("", _("Organization default")), *LANGUAGE_CHOICES]


def supported(code: str | None) -> str | None:
    """``code`` reduced to one of our languages (``es-MX`` → ``es``), or None.

    Regional codes come from browsers and other systems; we translate per language, not per
    region, so the region is dropped rather than the preference ignored.
    """
    if not code:
        return None
    base = code.strip().lower().replace("_", "-").split("-")[0]
    return base if base in dict(settings.LANGUAGES) else None


def _browser_wishes(request: HttpRequest | None) -> tuple[str | None, str | None]:
    """(the switcher's cookie, the best of ``Accept-Language``) of ``request``, if any."""
    if request is None:
        return None, None
    cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    header = request.headers.get("accept-language", "")
    for entry, _quality in translation.trans_real.parse_accept_lang_header(header):
        if found := supported(entry):
            return cookie, found
    return cookie, None


def resolve_language(
    person=None, organization=None, request: HttpRequest | None = None, document: str = ""
) -> str:
    """The language to address ``person`` in (the order is the module docstring's).

    ``person`` is anything with a ``language`` attribute (a user, a partner contact), or None
    for someone unknown; ``organization`` anything with ``default_language``; ``request`` the
    browser's wishes, when there is a browser; ``document`` the language of the document the
    person is about to read, when there is one.
    """
    cookie, header = _browser_wishes(request)
    for wish in (
        getattr(person, "language", None),
        cookie,
        document,
        getattr(organization, "default_language", None),
        header,
        settings.LANGUAGE_CODE,
    ):
        if found := supported(wish):
            return found
    return "en"


def member_language(user, organization=None) -> str:
    """The language to write to a member of ours in, outside any request (e-mails)."""
    return resolve_language(user, organization)


def signer_language(signer, request: HttpRequest | None = None) -> str:
    """The language of a charter signer.

    A member of ours is a member like any other (their setting, their organization's
    default). A partner contact is someone we may know little about: their own setting, then
    the browser's switch, then the language the charter version is written in (what they are
    asked to read and sign), then the organization's default.
    """
    version = signer.request.version
    organization = version.charter.partnership.organization
    if signer.user_id:
        return resolve_language(signer.user, organization, request)
    return resolve_language(signer.contact, organization, request, document=version.language)


class PersonLanguageMiddleware:
    """Activate the signed-in member's language for the rest of the request.

    Runs after ``LocaleMiddleware`` (which read the switcher's cookie and ``Accept-Language``)
    and after ``OrganizationMiddleware`` (which found the current organization): a member's
    own setting and then their organization's default win over the browser.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            language = resolve_language(user, getattr(request, "organization", None), request)
            if language != request.LANGUAGE_CODE:
                translation.activate(language)
                request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """The language switcher: remember the choice and go back to the page it was made on.

    Anyone gets the cookie Django's own view sets; a signed-in member's setting is saved too,
    since their setting wins over the cookie (and follows them to e-mails and other devices).
    An unknown language or a foreign ``next`` is ignored, never an error.
    """
    language = supported(request.POST.get("language"))
    target = request.POST.get("next") or request.headers.get("referer") or "/"
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    if language is None:
        return response
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and hasattr(user, "language"):
        user.language = language
        user.save(update_fields=["language"])
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        samesite="Lax",
        secure=request.is_secure(),
    )
    return response
