"""Sign-in settings: django-allauth, two-factor (allauth.mfa), re-authentication before
commitments, sessions, single sign-on per organization and login lockouts (django-axes).
Star-imported by ``config.settings``."""

from .environment import DEBUG, TESTING, env, setting

# django-allauth: e-mail is the login. Sign-up never says whether an address is registered:
# allauth e-mails that address instead and shows everyone the same "check your e-mail" page,
# which needs mandatory verification (the production default; an invitation's link counts as
# verified). Development and tests default to optional, so the demo signs up in one step.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = setting(
    "ACCOUNT_EMAIL_VERIFICATION", "optional" if DEBUG or TESTING else "mandatory"
)
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_FORMS = {"signup": "accounts.forms.SignupForm", "login": "accounts.sso.forms.LoginForm"}
# Failed logins are limited per client IP only: allauth's default adds a per-address ("key")
# limit, which lets anyone lock any account out by typing its address. Lockout per account AND
# IP is axes' job below. allauth merges this over its other defaults; ``False`` (tests) turns
# every limit off, and the tests that check them switch them on.
LOGIN_RATE_LIMITS = {"login_failed": "10/m/ip"}
ACCOUNT_RATE_LIMITS = False if TESTING else LOGIN_RATE_LIMITS
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"

# allauth.mfa: authenticator apps (TOTP), recovery codes and passkeys (WebAuthn), as a second
# factor and for passwordless sign-in with a passkey. Their secrets are encrypted at rest
# (accounts.mfa). WebAuthn needs https, except on http://localhost in development and tests.
MFA_ADAPTER = "accounts.mfa.MFAAdapter"
MFA_ENCRYPTION_KEY = env.str("MFA_ENCRYPTION_KEY", default="")
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_TOTP_ISSUER = "Accord"
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG or TESTING

# Commitments (approving, go / no-go, sending and signing charters, roles, API tokens, webhook
# endpoints) ask for the password or second factor again after this many seconds
# (accounts.reauthentication). Off in tests unless a test switches it on.
ACCOUNT_REAUTHENTICATION_TIMEOUT = env.int("REAUTHENTICATION_SECONDS", default=300)
ACCORD_REAUTHENTICATE_COMMITMENTS = not TESTING

# Sessions: a signed-in session lasts SESSION_HOURS (an installation setting, two weeks by
# default). allauth.usersessions lists a user's sessions and ends the others; changing the
# password ends the others (Django's session hash), and so does removing a second factor
# (accounts.signals).
SESSION_COOKIE_AGE = env.int("SESSION_HOURS", default=14 * 24) * 60 * 60
USERSESSIONS_TRACK_ACTIVITY = False

# Single sign-on per organization with OpenID Connect (accounts.sso): owners configure it in
# the app; no SocialApp rows or provider tokens are stored. Issuers are https except in tests.
SOCIALACCOUNT_ADAPTER = "accounts.sso.adapter.SocialAccountAdapter"
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_ONLY = False
SSO_ALLOW_INSECURE_ISSUER = DEBUG or TESTING

# django-axes: lock an account+IP after repeated failures. allauth authenticates with
# ``email=``, so the account is read by our callable (not a form field name): wrong passwords
# for made-up addresses then count against those addresses, never against a real user.
AXES_ENABLED = env.bool("AXES_ENABLED", default=not TESTING)
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "accounts.lockout.attempted_account"
AXES_RESET_ON_SUCCESS = True

# English and Spanish (issue 16). Who reads which is decided by core.i18n.resolve_language;
# the catalogues are locale/<lang>/LC_MESSAGES/django.po, compiled by `make messages`.
