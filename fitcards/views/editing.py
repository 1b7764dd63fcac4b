"""The guided flow: one step at a time, saved as it is typed, finished once.

With htmx the flow swaps only its ``#flow`` partial and pushes the step's URL, so reloading
lands on the same step; a history restore gets the whole page (``core.pages``).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import push_url

from accounts.scoping import OrgRequest, writer_required
from core.pages import redirect_to, render_page, wants_partial

from .. import selectors, services
from ..card import card_from_raw, completeness, membership_label, raw_for_forms
from ..forms import field_rows
from ..prefill import prefilled_sources
from ..presentation import card_sections, claim_sentences
from ..steps import FIRST_STEP, STEP_BY_SLUG, STEP_SLUGS, STEPS, neighbours, step_input

STEP_TEMPLATE = "fitcards/step.html"


def _step_url(partnership, slug: str) -> str:
    return reverse("fitcards:step", kwargs={"partnership_uuid": partnership.uuid, "step": slug})


def _step_or_404(slug: str):
    if slug not in STEP_BY_SLUG:
        raise Http404("No such step.")
    return STEP_BY_SLUG[slug]


@writer_required
@require_GET
def edit(request: OrgRequest, partnership_uuid):
    """Resume where the draft was left, or start at the first step."""
    partnership = selectors.partnership_for(request, partnership_uuid)
    draft = selectors.draft_of(partnership)
    step = draft.current_step if draft and draft.current_step in STEP_BY_SLUG else None
    return redirect("fitcards:step", partnership_uuid=partnership.uuid, step=step or FIRST_STEP)


def _live_context(partnership, raw: dict, draft) -> dict:
    card = card_from_raw(
        raw, authorizer_name=membership_label(partnership, raw.get("unwind_authorizer", ""))
    )
    return {
        "sentences": claim_sentences(card, partnership.partner.name),
        "completeness": completeness(raw),
        "draft": draft,
        "card": card,
    }


def _progress(partnership, slug: str, missing_steps: set[str]) -> list[dict]:
    return [
        {
            "slug": s.slug,
            "title": s.title,
            "url": _step_url(partnership, s.slug),
            "current": s.slug == slug,
            "done": s.slug not in missing_steps and s.slug != "review",
            "number": index,
        }
        for index, s in enumerate(STEPS, start=1)
    ]


def _render_step(
    request: OrgRequest,
    partnership,
    slug: str,
    *,
    form=None,
    draft=None,
    status: int = 200,
    notice: str = "",
    warn: bool = False,
):
    step = STEP_BY_SLUG[slug]
    if draft is None:
        draft = selectors.draft_of(partnership)
    raw = draft.data if draft else services.initial_raw(partnership)
    if form is None:
        form = step.form_class(initial=raw_for_forms(raw), partnership=partnership)
    previous, following = neighbours(slug)
    live = _live_context(partnership, raw, draft)
    missing_steps = {step_slug for _label, step_slug in live["completeness"].missing}
    context = {
        "partnership": partnership,
        "step": step,
        "step_number": STEP_SLUGS.index(slug) + 1,
        "step_total": len(STEPS),
        "form": form,
        "field_rows": field_rows(form, prefilled_sources(raw)),
        "previous": previous,
        "following": following,
        "progress": _progress(partnership, slug, missing_steps),
        "autosave_url": reverse(
            "fitcards:autosave", kwargs={"partnership_uuid": partnership.uuid, "step": slug}
        ),
        "sections": card_sections(live["card"], partnership.partner.name),
        "notice": notice,
        "notice_class": "flash-error"
        if form.errors
        else "flash-warning"
        if warn
        else "flash-success",
        "claim_conflicts": services.claim_edited_elsewhere(partnership, draft)
        if slug in ("claim", "review")
        else [],
        **live,
    }
    response = render_page(request, STEP_TEMPLATE, context, partial="flow", status=status)
    if wants_partial(request) and status < 400:
        push_url(response, _step_url(partnership, slug))
    return response


@writer_required
def step(request: OrgRequest, partnership_uuid, step: str):
    """One step of the flow. POST ``nav`` = back | save | next."""
    partnership = selectors.partnership_for(request, partnership_uuid)
    current = _step_or_404(step)
    if request.method == "GET":
        return _render_step(request, partnership, step)
    if request.method != "POST":
        return HttpResponse(status=405)

    nav = request.POST.get("nav", "next")
    previous, following = neighbours(step)
    kept = step_input(current, partnership, request.POST)
    if nav == "back" and previous:
        draft = services.draft_save(
            partnership=partnership,
            actor=request.user,
            step=step,
            values=kept.values,
            move_to=previous,
        )
        return _after_move(request, partnership, previous, draft, warning=kept.notice)

    form = current.form_class(request.POST, partnership=partnership)
    valid = form.is_valid()
    move_to = following if (nav == "next" and valid and following) else step
    draft = services.draft_save(
        partnership=partnership,
        actor=request.user,
        step=step,
        values=kept.values,
        move_to=move_to,
    )
    if not valid:
        return _render_step(request, partnership, step, form=form, draft=draft, status=422)
    notice = "Draft saved." if move_to == step else ""
    return _after_move(request, partnership, move_to, draft, notice=notice)


def _after_move(
    request: OrgRequest, partnership, slug: str, draft, *, notice: str = "", warning: str = ""
):
    if wants_partial(request):
        return _render_step(
            request, partnership, slug, draft=draft, notice=warning or notice, warn=bool(warning)
        )
    if warning:
        messages.warning(request, warning)
    elif notice:
        messages.success(request, notice)
    return redirect(_step_url(partnership, slug))


@writer_required
@require_POST
def autosave(request: OrgRequest, partnership_uuid, step: str):
    """Save what is being typed (unvalidated) and return the live preview and completeness."""
    partnership = selectors.partnership_for(request, partnership_uuid)
    kept = step_input(_step_or_404(step), partnership, request.POST)
    draft = services.draft_save(
        partnership=partnership, actor=request.user, step=step, values=kept.values
    )
    context = {
        "partnership": partnership,
        "input_notice": kept.notice,
        **_live_context(partnership, draft.data, draft),
    }
    return render(request, f"{STEP_TEMPLATE}#live", context)


@writer_required
@require_POST
def finish(request: OrgRequest, partnership_uuid):
    partnership = selectors.partnership_for(request, partnership_uuid)
    try:
        revision = services.fitcard_finish(partnership=partnership, actor=request.user)
    except services.DraftMissing:
        messages.info(request, "There is no draft to finish: the card is already up to date.")
    except services.StepInvalid as invalid:
        notice = f"“{STEP_BY_SLUG[invalid.step].title}” needs attention before you can finish."
        response = _render_step(
            request, partnership, invalid.step, form=invalid.form, status=422, notice=notice
        )
        if wants_partial(request):
            push_url(response, _step_url(partnership, invalid.step))
        return response
    else:
        messages.success(request, f"Fit card finished: revision {revision.number} saved.")
    return redirect_to(request, "fitcards:detail", partnership_uuid=partnership.uuid)


@writer_required
@require_POST
def discard(request: OrgRequest, partnership_uuid):
    partnership = selectors.partnership_for(request, partnership_uuid)
    if services.draft_discard(partnership=partnership, actor=request.user):
        messages.success(request, "Draft discarded.")
    return redirect("fitcards:detail", partnership_uuid=partnership.uuid)
