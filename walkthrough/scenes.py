"""The walkthrough's story, step by step, each with its caption in English and in Spanish.

A manager of the demo organization Northwind creates a partnership with a new partner, runs
the tier flow, fills in the fit card, logs evidence and sends the charter; the partner's
signer signs from the e-mailed link, the manager signs, and the sealed PDF is verified.
"""

from __future__ import annotations

import datetime

from .walk import StepFailed, Walk

MANAGER = ("manager@demo.test", "accord-demo", "Marcus Lee")
APPROVER_NAME = "Olivia Hart"
PARTNER = "Lumenpay"
CONTACT = ("Lucía Ortega", "lucia@lumenpay.example")
PARTNERSHIP = "Lumenpay instant payouts"

CHARTER = {
    "title": "Partnership Charter — Northwind and Lumenpay",
    "mutual_goals": "Thirty merchants paid out within one hour of settlement by the end of Q3.",
    "value_exchange": "Northwind brings merchant volume; Lumenpay brings instant payout rails.",
    "timeline": "Crawl for six weeks with ten merchants; walk from the first of next quarter.",
    "measurement": "Median payout time and failed payouts, reported weekly by both teams.",
    "decision_cadence": "Weekly health review; go / no-go at the end of each phase.",
    "escalation_path": "Partnership owners, then both heads of partnerships within two days.",
    "breakage_ownership": "Lumenpay owns payout rail incidents; Northwind owns the merchant UI.",
}


def _next_step(walk: Walk, step: str) -> None:
    walk.page.click("button[value=next]")
    walk.page.wait_for_selector(f"#flow[data-step={step}]")


def _sign(walk: Walk, *, draw: bool) -> None:
    page = walk.page
    page.check("input[name=consent]")
    page.click("text=I agree, continue")
    if draw:
        canvas = page.locator("[data-testid=signature-canvas]")
        canvas.scroll_into_view_if_needed()
        box = canvas.bounding_box()
        x0, y0 = box["x"] + 30, box["y"] + box["height"] * 0.6
        page.mouse.move(x0, y0)
        page.mouse.down()
        for i in range(1, 30):
            page.mouse.move(x0 + i * 11, y0 - 28 * ((i % 5) / 4), steps=3)
        page.mouse.up()
        page.wait_for_selector("text=Signature drawn.")
    page.check("input[name=authorized]")
    page.click("form#sign-form button[type=submit]")
    page.wait_for_selector("text=You signed this charter")


def play(walk: Walk) -> None:
    page = walk.page
    today = datetime.date.today()

    with walk.step(
        "sign-in",
        "A partnership manager at Northwind signs in to Accord.",
        "Un responsable de alianzas de Northwind inicia sesión en Accord.",
    ):
        walk.go("account_login")
        page.fill("input[name=login]", MANAGER[0])
        page.fill("input[name=password]", MANAGER[1])
        page.click("form button[type=submit]")
        page.wait_for_url(lambda url: "/login/" not in url)

    with walk.step(
        "partner",
        "He adds the partner company, and the contact who will sign for it.",
        "Añade la empresa socia y el contacto que firmará en su nombre.",
    ):
        walk.go("partnerships:partner_create")
        page.fill("input[name=name]", PARTNER)
        page.fill("input[name=website]", "https://lumenpay.example")
        page.fill("input[name=category]", "Payments")
        page.click("main form button[type=submit]")
        page.wait_for_selector(f"h1:has-text('{PARTNER}')")
        page.fill("#contacts input[name=name]", CONTACT[0])
        page.fill("#contacts input[name=email]", CONTACT[1])
        page.click("#contacts button:has-text('Add contact')")
        page.wait_for_selector(f"#contacts td:has-text('{CONTACT[0]}')")

    with walk.step(
        "build-or-partner",
        "Build or partner? The guided flow recommends a partner.",
        "¿Desarrollar o aliarse? El flujo guiado recomienda aliarse.",
    ):
        page.click("text=New partnership")
        page.click("#flow a[data-answer=no]")  # not core to our differentiation
        page.wait_for_selector("text=delay our roadmap")
        page.click("#flow a[data-answer=yes]")  # building would take more than 6 months
        page.wait_for_selector("text=Recommendation: Partner")
        page.fill("input[name=subject]", "licensed instant payouts to EU bank accounts")
        page.click("text=Record decision")
        page.wait_for_selector("h1:has-text('Propose a partnership')")

    with walk.step(
        "propose",
        "The partnership: leverage, three-sided value, what each side loses, the claim.",
        "La alianza: la palanca, el valor para las tres partes, qué pierde cada parte, "
        "la hipótesis.",
    ):
        page.fill("input[name=name]", PARTNERSHIP)
        page.select_option("select[name=leverage]", "economic")
        page.select_option("select[name=approver]", label=APPROVER_NAME)
        page.fill("textarea[name=value_to_us]", "Merchants stay because they are paid faster")
        page.fill("textarea[name=value_to_partner]", "Payout volume from our merchant base")
        page.fill("textarea[name=value_to_customers]", "Cash within an hour instead of days")
        page.fill("textarea[name=we_lose]", "Two quarters of roadmap spent on the integration")
        page.fill("textarea[name=partner_loses]", "A committed volume tier and its pricing")
        page.fill("textarea[name=claim_uncertainty]", "whether merchants value instant payouts")
        page.fill("textarea[name=claim_boundary]", "EU merchants in euros")
        page.fill("textarea[name=claim_evidence]", "a six-week pilot with ten merchants")
        page.fill("textarea[name=boundary_not_established]", "demand outside the euro area")

    with walk.step(
        "triggers",
        "Deferral and unwind triggers are written before anyone has a stake in the outcome.",
        "Las condiciones de aplazamiento y de salida ordenada se fijan antes de que nadie "
        "tenga intereses en el resultado.",
    ):
        deferral = today + datetime.timedelta(days=60)
        page.fill("input[name=deferral_date]", deferral.isoformat())
        page.fill(
            "textarea[name=unwind_condition]", "Failed payouts above 1% for two weeks running"
        )
        page.select_option("select[name=unwind_authorizer]", label=APPROVER_NAME)
        page.fill("textarea[name=phase_success_criteria]", "Ten merchants paid out in an hour")
        page.fill("textarea[name=integration_pathway]", "Payouts API and a settlement webhook")
        page.fill("textarea[name=exit_path]", "Eight weeks back to bank transfers")
        page.click("text=Propose partnership")
        page.wait_for_selector(f"h1:has-text('{PARTNERSHIP}')")
    uuid = walk.kwarg_of_current_page("partnership_uuid")

    with walk.step(
        "tier",
        "The tier flow asks two questions and recommends a tier; he records the decision.",
        "El flujo de nivel plantea dos preguntas y recomienda un nivel; él registra la decisión.",
    ):
        walk.go("partnerships:partnership_flow", partnership_uuid=uuid, slug="tier")
        page.click("#flow a[data-answer=no]")  # no engineers to self-serve
        page.wait_for_selector("#flow a[data-answer=no]")
        page.click("#flow a[data-answer=no]")  # not a marquee logo
        page.wait_for_selector("text=Recommendation: Tier 2")
        page.click("text=Record decision")
        page.wait_for_selector("#timeline")

    with walk.step(
        "fit-card",
        "The Partner Fit Card, one step at a time: capability, incentives, integration…",
        "La Ficha de adecuación del socio, paso a paso: capacidad, incentivos, integración…",
    ):
        walk.go("fitcards:detail", partnership_uuid=uuid)
        page.click("text=Start the fit card")
        page.wait_for_selector("#flow[data-step=capability]")
        page.fill("#id_capability_provided", "Licensed instant payouts to EU bank accounts")
        page.fill("#id_uncertainty_reduced", "Whether faster payouts keep merchants with us")
        _next_step(walk, "incentives")
        page.fill("#id_incentives", "A per-payout fee on a committed monthly volume")
        page.fill("#id_risk_1", "They raise the fee once we depend on them")
        page.fill("#id_signal_1", "A pricing review requested before the volume is reached")
        _next_step(walk, "integration")
        page.fill("#id_integration_surface", "Payouts API, settlement webhook, daily reports")
        page.fill("#id_single_points_of_failure", "The payout rail: no second provider yet")
        _next_step(walk, "evidence")

    with walk.step(
        "fit-card-finish",
        "…evidence and the exit path. Finishing the card saves its first revision.",
        "…evidencia y ruta de salida. Al terminar la ficha se guarda su primera revisión.",
    ):
        page.select_option("#id_kind_1", "pilot")
        page.fill("#id_artifact_1", "Six-week pilot: 10 merchants, 1,240 payouts")
        page.fill("#id_limit_1", "Hand-picked merchants, euro payouts only")
        _next_step(walk, "exit")
        page.fill("#id_exit_time", "Eight weeks")
        page.fill("#id_exit_cost", "Re-enabling bank transfers, about 20k")
        page.fill("#id_exit_data_portability", "Payout history exported as CSV")
        _next_step(walk, "claim")
        walk.fill_if_empty("#id_claim_capability", "licensed instant payouts")
        _next_step(walk, "review")
        page.click("text=Finish and save revision")
        page.wait_for_selector("text=Revision 1")

    with walk.step(
        "evidence",
        "Pilot results go into the Evidence Log, where entries are added, never edited.",
        "Los resultados del piloto entran en el Registro de evidencias: se añaden, nunca se "
        "editan.",
    ):
        walk.go("evidence:entry_new", query=f"?partnership={uuid}")
        page.fill("textarea[name=claim]", "Merchants value payouts within the hour")
        page.fill("textarea[name=artifact]", "Pilot report: median payout 14 minutes, 0.2% failed")
        page.select_option("select[name=quality]", "pilot")
        page.fill("input[name=observed_on]", (today - datetime.timedelta(days=2)).isoformat())
        page.fill("textarea[name=limits]", "Ten hand-picked merchants, euro payouts only")
        page.click("main form button[type=submit]")
        page.wait_for_selector("text=logged.")

    with walk.step(
        "charter",
        "The Partnership Charter: goals, value exchange, timeline, measurement, governance.",
        "El Acta de la alianza: objetivos, intercambio de valor, calendario, medición y gobierno.",
    ):
        walk.go("charters:edit", partnership_uuid=uuid)
        page.fill("input[name=title]", CHARTER["title"])
        for name, text in CHARTER.items():
            if name != "title":
                page.fill(f"textarea[name={name}]", text)
        page.click("text=Save charter")
        page.wait_for_selector("text=Send v1 for signature")

    with walk.step(
        "send",
        "Version 1 is frozen and sent for signature to both sides.",
        "La versión 1 queda congelada y se envía para firma a ambas partes.",
    ):
        page.click("text=Send v1 for signature")
        page.check(f"text={MANAGER[2]} <{MANAGER[0]}>")
        page.check(f"text={CONTACT[0]} <{CONTACT[1]}>")
        page.click("form button[type=submit]:has-text('Send for signature')")
        page.wait_for_selector("text=sent for signature")

    with walk.step(
        "partner-opens",
        "The partner's signer opens the link in her e-mail. She needs no account.",
        "La firmante del socio abre el enlace de su correo electrónico. No necesita una cuenta.",
    ):
        page.goto(walk.mailed_link(CONTACT[1], "charters:sign", "token"))
        page.wait_for_selector("text=Consent to use electronic records and signatures")

    with walk.step(
        "partner-signs",
        "She consents to sign electronically, confirms her authority and draws her signature.",
        "Acepta firmar electrónicamente, confirma que está autorizada y dibuja su firma.",
    ):
        _sign(walk, draw=True)

    with walk.step(
        "manager-signs",
        "The manager signs for Northwind from the charter page.",
        "El responsable firma por Northwind desde la página del acta.",
    ):
        walk.go("charters:detail", partnership_uuid=uuid)
        page.click("text=Sign now")
        _sign(walk, draw=False)

    pdf = walk.out / "executed-charter.pdf"
    with walk.step(
        "executed",
        "Both sides have signed: the charter is executed and sealed as a PDF.",
        "Ambas partes han firmado: el acta queda formalizada y sellada en PDF.",
    ):
        walk.go("charters:detail", partnership_uuid=uuid)
        page.wait_for_selector("text=Executed by both sides")
        with page.expect_download() as download:
            page.click("text=Download the executed PDF")
        download.value.save_as(pdf)

    with walk.step(
        "verify",
        "Anyone can check the sealed PDF on the verification page.",
        "Cualquier persona puede comprobar el PDF sellado en la página de verificación.",
    ):
        walk.go("charters:verify")
        page.set_input_files("input[name=document]", str(pdf))
        page.click("form button[type=submit]:has-text('Verify')")
        result = page.locator("[data-testid=verify-result]")
        result.wait_for()
        if "An unaltered executed charter" not in result.inner_text():
            raise StepFailed(f"Step “verify”: the page said {result.inner_text()!r}.")
        result.scroll_into_view_if_needed()

    with walk.step(
        "guide",
        "Unaltered, executed and signed by both sides. The guide explains each step.",
        "Sin alteraciones, formalizada y firmada por ambas partes. La guía explica cada paso.",
    ):
        walk.go("guide:section", slug="charter")
