"""The partner room (issue 14, SPEC §4b): the partner's side of the seam.

Partner contacts have no account. An owner grants a contact access; the contact asks for a
sign-in link on a public page and gets it by e-mail (token hashed, expiring, single use), which
starts a partner session of limited length kept in ``RoomSession`` (its own cookie, separate
from Django's auth). In the room a contact sees only what we share per partnership (charters,
fit card parts, evidence entries at the level set on each), answers the partner side of the
health review (``reviews``) and confirms or disputes co-signed gates. Every page a partner
opens is written to ``RoomEvent``, which the owner reads.

This app sits above partnerships, fitcards, evidence, charters and reviews: it reads them
through its own selectors and calls their services; none of them imports it.
"""
