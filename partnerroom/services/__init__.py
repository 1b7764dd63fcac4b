"""Writes for the partner room, by concern.

- ``access``: granting, asking for, signing in with and revoking access; partner sessions
- ``sharing``: what a partnership and each evidence entry show in the room
- ``cosign``: the co-sign policy, asking the partner to confirm, the partner's answer
"""
