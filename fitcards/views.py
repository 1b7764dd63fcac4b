"""Fit card pages: the guided flow, the card, its history, and the PDF documents.

Views stay thin: fetch through ``selectors`` (organization-scoped), validate with the step
forms, write through ``services``, render. With htmx, the flow swaps only its ``#flow``
partial and pushes the step's URL, so reloading lands on the same step.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect, push_url

from accounts.scoping import OrgRequest, member_required, scoped, writer_required
from partnerships.models import Partnership

from . import flow, pdf, selectors, services
from .diff import compare_sections

STEP_TEMPLATE = "fitcards/step.html"


@member_required()
@require_GET
def index(request: OrgRequest):
    """Every partnership with its fit card status, one page at a time."""
    rows = selectors.fit_card_rows(request, scoped(request, Partnership))
    page = Paginator(rows, 25).get_page(request.GET.get("page"))
    return render(request, "fitcards/index.html", {"page": page})


@member_required()
@require_GET
def detail(request: OrgRequest, partnership_uuid):
    partnership = selectors.partnership_for(request, partnership_uuid)
    fit_card = selectors.fit_card_of(partnership)
    draft = selectors.draft_of(partnership) if request.membership.can_write else None
    card = selectors.current_card(partnership, fit_card)
    return render(
        request,
        "fitcards/detail.html",
        {
            "partnership": partnership,
            "fit_card": fit_card,
            "draft": draft,
            "sections": flow.card_sections(card, partnership.partner.name),
            "completeness": flow.completeness(flow.raw_from_card(card)),
        },
    )


@writer_required
@require_GET
def edit(request: OrgRequest, partnership_uuid):
    """Resume where the draft was left, or start at the first step."""
    partnership = selectors.partnership_for(request, partnership_uuid)
    draft = selectors.draft_of(partnership)
    step = draft.current_step if draft and draft.current_step in flow.STEP_BY_SLUG else None
    return redirect(
        "fitcards:step", partnership_uuid=partnership.uuid, step=step or flow.FIRST_STEP
    )


def _step_url(partnership, slug: str) -> str:
    return reverse("fitcards:step", kwargs={"partnership_uuid": partnership.uuid, "step": slug})


def _live_context(partnership, raw: dict, draft) -> dict:
    card = flow.card_from_raw(
        raw,
        authorizer_name=flow.membership_label(partnership, raw.get("unwind_authorizer", "")),
    )
    return {
        "sentences": flow.claim_sentences(card, partnership.partner.name),
        "completeness": flow.completeness(raw),
        "draft": draft,
        "card": card,
    }


def _render_step(
    request: OrgRequest,
    partnership,
    slug: str,
    *,
    form=None,
    draft=None,
    status: int = 200,
    notice: str = "",
):
    step = flow.STEP_BY_SLUG[slug]
    if draft is None:
        draft = selectors.draft_of(partnership)
    raw = draft.data if draft else services.initial_raw(partnership)
    if form is None:
        form = step.form_class(initial=flow.raw_for_forms(raw), partnership=partnership)
    previous, following = flow.neighbours(slug)
    live = _live_context(partnership, raw, draft)
    missing_steps = {step_slug for _label, step_slug in live["completeness"].missing}
    progress = [
        {
            "slug": s.slug,
            "title": s.title,
            "url": _step_url(partnership, s.slug),
            "current": s.slug == slug,
            "done": s.slug not in missing_steps and s.slug != "review",
            "number": index,
        }
        for index, s in enumerate(flow.STEPS, start=1)
    ]
    context = {
        "partnership": partnership,
        "step": step,
        "step_number": flow.STEP_SLUGS.index(slug) + 1,
        "step_total": len(flow.STEPS),
        "form": form,
        "field_rows": flow.field_rows(form),
        "previous": previous,
        "following": following,
        "progress": progress,
        "autosave_url": reverse(
            "fitcards:autosave", kwargs={"partnership_uuid": partnership.uuid, "step": slug}
        ),
        "sections": flow.card_sections(live["card"], partnership.partner.name),
        "notice": notice,
        "claim_conflicts": services.claim_edited_elsewhere(partnership, draft)
        if slug in ("claim", "review")
        else [],
        **live,
    }
    template = f"{STEP_TEMPLATE}#flow" if request.htmx else STEP_TEMPLATE
    response = render(request, template, context, status=status)
    if request.htmx and status < 400:
        push_url(response, _step_url(partnership, slug))
    return response


@writer_required
def step(request: OrgRequest, partnership_uuid, step: str):
    """One step of the flow. POST ``nav`` = back | save | next."""
    partnership = selectors.partnership_for(request, partnership_uuid)
    if step not in flow.STEP_BY_SLUG:
        raise Http404("No such step.")
    if request.method == "GET":
        return _render_step(request, partnership, step)
    if request.method != "POST":
        return HttpResponse(status=405)

    nav = request.POST.get("nav", "next")
    previous, following = flow.neighbours(step)
    if nav == "back" and previous:
        draft = services.draft_save(
            partnership=partnership,
            actor=request.user,
            step=step,
            values=request.POST,
            move_to=previous,
        )
        return _after_move(request, partnership, previous, draft)

    form = flow.STEP_BY_SLUG[step].form_class(request.POST, partnership=partnership)
    valid = form.is_valid()
    move_to = following if (nav == "next" and valid and following) else step
    draft = services.draft_save(
        partnership=partnership,
        actor=request.user,
        step=step,
        values=request.POST,
        move_to=move_to,
    )
    if not valid:
        return _render_step(request, partnership, step, form=form, draft=draft, status=422)
    notice = "Draft saved." if move_to == step else ""
    return _after_move(request, partnership, move_to, draft, notice=notice)


def _after_move(request: OrgRequest, partnership, slug: str, draft, *, notice: str = ""):
    if request.htmx:
        return _render_step(request, partnership, slug, draft=draft, notice=notice)
    if notice:
        messages.success(request, notice)
    return redirect(_step_url(partnership, slug))


@writer_required
@require_POST
def autosave(request: OrgRequest, partnership_uuid, step: str):
    """Save what is being typed (unvalidated) and return the live preview and completeness."""
    partnership = selectors.partnership_for(request, partnership_uuid)
    if step not in flow.STEP_BY_SLUG:
        raise Http404("No such step.")
    draft = services.draft_save(
        partnership=partnership, actor=request.user, step=step, values=request.POST
    )
    context = {"partnership": partnership, **_live_context(partnership, draft.data, draft)}
    return render(request, f"{STEP_TEMPLATE}#live", context)


@writer_required
@require_POST
def finish(request: OrgRequest, partnership_uuid):
    partnership = selectors.partnership_for(request, partnership_uuid)
    detail_url = reverse("fitcards:detail", kwargs={"partnership_uuid": partnership.uuid})
    try:
        revision = services.fitcard_finish(partnership=partnership, actor=request.user)
    except services.DraftMissing:
        messages.info(request, "There is no draft to finish: the card is already up to date.")
    except services.StepInvalid as invalid:
        notice = f"“{flow.STEP_BY_SLUG[invalid.step].title}” needs attention before you can finish."
        response = _render_step(
            request, partnership, invalid.step, form=invalid.form, status=422, notice=notice
        )
        if request.htmx:
            push_url(response, _step_url(partnership, invalid.step))
        return response
    else:
        messages.success(request, f"Fit card finished: revision {revision.number} saved.")
    if request.htmx:
        return HttpResponseClientRedirect(detail_url)
    return redirect(detail_url)


@writer_required
@require_POST
def discard(request: OrgRequest, partnership_uuid):
    partnership = selectors.partnership_for(request, partnership_uuid)
    if services.draft_discard(partnership=partnership, actor=request.user):
        messages.success(request, "Draft discarded.")
    return redirect("fitcards:detail", partnership_uuid=partnership.uuid)


@member_required()
@require_GET
def history(request: OrgRequest, partnership_uuid):
    partnership = selectors.partnership_for(request, partnership_uuid)
    fit_card = selectors.fit_card_of(partnership)
    page = None
    if fit_card is not None:
        page = Paginator(selectors.revisions_of(fit_card), 20).get_page(request.GET.get("page"))
    count = fit_card.revision_count if fit_card else 0
    return render(
        request,
        "fitcards/history.html",
        {
            "partnership": partnership,
            "fit_card": fit_card,
            "page": page,
            "numbers": list(range(count, 0, -1)),
            "default_a": max(count - 1, 1),
            "default_b": count,
        },
    )


def _int_param(request, name: str) -> int:
    try:
        return int(request.GET.get(name, ""))
    except ValueError:
        raise Http404("Choose two revisions.") from None


@member_required()
@require_GET
def compare(request: OrgRequest, partnership_uuid):
    """Two revisions side by side, the older on the left, differences marked."""
    partnership = selectors.partnership_for(request, partnership_uuid)
    fit_card = selectors.fit_card_of(partnership)
    if fit_card is None:
        raise Http404("This partnership has no fit card yet.")
    a, b = sorted((_int_param(request, "a"), _int_param(request, "b")))
    old = selectors.revision_of(fit_card, a)
    new = selectors.revision_of(fit_card, b)
    name = partnership.partner.name
    sections = compare_sections(
        flow.card_sections(old.data, old.data.get("partner_name", name)),
        flow.card_sections(new.data, new.data.get("partner_name", name)),
    )
    return render(
        request,
        "fitcards/compare.html",
        {
            "partnership": partnership,
            "fit_card": fit_card,
            "old": old,
            "new": new,
            "sections": sections,
            "changed": sum(1 for s in sections for row in s["rows"] if row["changed"]),
            "numbers": list(range(fit_card.revision_count, 0, -1)),
        },
    )


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@member_required()
@require_GET
def card_pdf(request: OrgRequest, partnership_uuid):
    """The card as it stands, or one revision (``?revision=N``), as a PDF."""
    partnership = selectors.partnership_for(request, partnership_uuid)
    fit_card = selectors.fit_card_of(partnership)
    revision = None
    if request.GET.get("revision"):
        if fit_card is None:
            raise Http404("This partnership has no fit card yet.")
        revision = selectors.revision_of(fit_card, _int_param(request, "revision"))
        card = revision.data
    else:
        card = selectors.current_card(partnership, fit_card)
    content = pdf.fitcard_pdf(
        partnership=partnership,
        sections=flow.card_sections(card, partnership.partner.name),
        revision=revision,
    )
    suffix = f"-r{revision.number}" if revision else ""
    name = slugify(f"{partnership.partner.name} {partnership.name}") or "partnership"
    return _pdf_response(content, f"fit-card-{name}{suffix}.pdf")


@member_required()
@require_GET
def blank_fitcard(request: OrgRequest):
    return _pdf_response(pdf.blank_fitcard_pdf(), "partner-fit-card-template.pdf")


@member_required()
@require_GET
def blank_evidence_log(request: OrgRequest):
    return _pdf_response(pdf.blank_evidence_log_pdf(), "partnership-evidence-log-template.pdf")
