"""The partner room's models, by concern (access, sharing, co-signed gates)."""

from .access import RoomAccess, RoomEvent, RoomSession, SignInLink
from .cosign import CosignPolicy, DecisionKind, GateConfirmation
from .sharing import (
    FIT_CARD_FIELD_LABELS,
    FIT_CARD_PARTS,
    EntrySharing,
    PartnershipSharing,
    SharingLevel,
)

__all__ = [
    "FIT_CARD_FIELD_LABELS",
    "FIT_CARD_PARTS",
    "CosignPolicy",
    "DecisionKind",
    "EntrySharing",
    "GateConfirmation",
    "PartnershipSharing",
    "RoomAccess",
    "RoomEvent",
    "RoomSession",
    "SharingLevel",
    "SignInLink",
]
