"""Single sign-on per organization with OpenID Connect (SPEC §12).

An owner configures the organization's provider (``views``); e-mail domains route people
from the login page to it (``forms``); allauth's ``openid_connect`` provider does the
protocol, with its apps built from our rows by the adapter (``adapter``); the rules about
who may come in how, and who joins, are in ``services``.
"""
