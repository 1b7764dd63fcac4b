"""The empty dashboard's "Start here" steps, each a link that ticks itself off once done.

A new organization sees what to do first and what it has already done, read from the data
itself (a second member or an invitation, a partner, a recorded build-vs-partner run), so a
step is never ticked by hand and never forgotten. Read only when the organization has no
partnership yet: the dashboard's pinned query counts are for organizations that have some.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from accounts.models import Invitation, Membership

from .models import FlowRun, Partner


@dataclass(frozen=True)
class StartStep:
    text: str
    url: str
    done: bool


def start_steps(organization, membership) -> list[StartStep]:
    """What a new organization does first, in order, with what is already done."""
    writer = membership.can_write
    team = (
        Membership.objects.filter(organization=organization).count() > 1
        or Invitation.objects.filter(organization=organization).exists()
    )
    partner = Partner.objects.filter(organization=organization).exists()
    checked = FlowRun.objects.filter(
        organization=organization, kind=FlowRun.Kind.BUILD_VS_PARTNER
    ).exists()
    return [
        StartStep(
            "Invite your team and mark who approves decisions"
            if membership.is_owner
            else "See who is in your team (an owner invites people)",
            reverse("accounts:members"),
            team,
        ),
        StartStep(
            "Add a partner" if writer else "See the partners",
            reverse("partnerships:partner_create" if writer else "partnerships:partner_list"),
            partner,
        ),
        StartStep(
            "Run the build vs partner check before you create a partnership"
            if writer
            else "Read the build vs partner decisions",
            reverse(
                "partnerships:flow_build_vs_partner" if writer else "partnerships:flow_history"
            ),
            checked,
        ),
        StartStep(
            "Write the Partnership Claim, the boundary line and the deferral trigger",
            reverse("partnerships:partnership_create" if writer else "guide:index"),
            False,
        ),
        StartStep(
            "Log evidence as it arrives; decide commit, defer, renegotiate or unwind on it",
            reverse("guide:section", kwargs={"slug": "evidence-log"}),
            False,
        ),
    ]
