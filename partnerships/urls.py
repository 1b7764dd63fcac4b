from django.urls import path

from .views import dashboard, flows, launch, partners, partnerships

app_name = "partnerships"

urlpatterns = [
    path("", dashboard.home, name="home"),
    path("partners/", partners.partner_list, name="partner_list"),
    path("partners/new/", partners.partner_create, name="partner_create"),
    path("partners/<uuid:uuid>/", partners.partner_detail, name="partner_detail"),
    path("partners/<uuid:uuid>/edit/", partners.partner_edit, name="partner_edit"),
    path("partners/<uuid:uuid>/contacts/", partners.contact_create, name="contact_create"),
    path(
        "partners/<uuid:uuid>/contacts/<uuid:contact_uuid>/",
        partners.contact_row,
        name="contact_row",
    ),
    path(
        "partners/<uuid:uuid>/contacts/<uuid:contact_uuid>/edit/",
        partners.contact_edit,
        name="contact_edit",
    ),
    path("partnerships/new/", partnerships.partnership_create, name="partnership_create"),
    path(
        "partnerships/<uuid:partnership_uuid>/",
        partnerships.partnership_detail,
        name="partnership_detail",
    ),
    path(
        "partnerships/<uuid:partnership_uuid>/edit/",
        partnerships.partnership_edit,
        name="partnership_edit",
    ),
    path(
        "partnerships/<uuid:partnership_uuid>/status/",
        partnerships.partnership_status,
        name="partnership_status",
    ),
    path(
        "partnerships/<uuid:partnership_uuid>/flows/<slug:slug>/",
        flows.partnership_flow,
        name="partnership_flow",
    ),
    path(
        "partnerships/<uuid:partnership_uuid>/launch/",
        launch.launch_plan,
        name="launch_plan",
    ),
    path(
        "launch-items/<uuid:item_uuid>/toggle/",
        launch.launch_item_toggle_view,
        name="launch_item_toggle",
    ),
    path("launch-items/<uuid:item_uuid>/edit/", launch.launch_item_edit, name="launch_item_edit"),
    path("decisions/", flows.flow_history, name="flow_history"),
    path("decisions/build-vs-partner/", flows.build_vs_partner, name="flow_build_vs_partner"),
    path("decisions/partner-program/", flows.program, name="flow_program"),
]
