# ruff: noqa: E501  (demo text reads better unwrapped)
"""Demo partner programs, as data (read by ``demo.loaders.programs``).

Northwind curates: two applications wait (one of them a handshake), one was declined, one was
accepted. Globex runs an open program: three partners served themselves in, and their trust
differs with what Globex has since observed of them.
"""

PROGRAMS = {
    "northwind": {
        # the curated-vs-open flow: brand damage risk is high for a payments product
        "flow": {"answers": {"brand_risk": "yes"}, "choice": "curated"},
        "settings": {"applications_open": True, "directory_public": True},
        "applications": [
            {
                "outcome": "waiting",
                "days_ago": 3,
                "answers": {
                    "company": "Quillstack",
                    "website": "https://quillstack.example",
                    "contact_name": "Mira Chen",
                    "contact_email": "mira@quillstack.example",
                    "contact_title": "Partnerships Lead",
                    "offer": "Contract lifecycle software; we would sync signed order forms into Northwind invoices.",
                    "value_to_them": "Our customers ask for invoicing that starts from the signed contract.",
                    "value_to_customers": "No retyping of contract terms into invoices; fewer billing disputes.",
                    "they_lose": "Two engineers for a quarter on the connector and the launch slot we promised our customer council.",
                    "list_in_directory": True,
                },
            },
            {
                "outcome": "waiting",
                "days_ago": 9,
                "answers": {
                    "company": "BuzzBoard",
                    "website": "https://buzzboard.example",
                    "contact_name": "Dev Patel",
                    "contact_email": "dev@buzzboard.example",
                    "contact_title": "Growth Marketing",
                    "offer": "A co-branded webinar series and a logo on our partner page.",
                    "value_to_them": "Visibility with finance teams.",
                    "value_to_customers": "Webinars about invoicing trends.",
                    "they_lose": "Nothing.",
                    "list_in_directory": False,
                },
            },
            {
                "outcome": "declined",
                "days_ago": 16,
                "reason": "Lead resale is not an integration, and the data source is unclear.",
                "share_reason": False,
                "answers": {
                    "company": "LeadHarvest Pro",
                    "website": "https://leadharvest.example",
                    "contact_name": "Sam Ortiz",
                    "contact_email": "sam@leadharvest.example",
                    "contact_title": "CEO",
                    "offer": "Lists of merchants likely to switch invoicing tools.",
                    "value_to_them": "Revenue share on every lead.",
                    "value_to_customers": "More choice.",
                    "they_lose": "The revenue share.",
                    "list_in_directory": False,
                },
            },
            {
                "outcome": "accepted",
                "days_ago": 24,
                "answers": {
                    "company": "Fathom Reports",
                    "website": "https://fathomreports.example",
                    "contact_name": "Noor Haddad",
                    "contact_email": "noor@fathomreports.example",
                    "contact_title": "Head of Integrations",
                    "offer": "A reporting connector that turns Northwind invoices into cash-flow dashboards.",
                    "value_to_them": "Northwind merchants are our best-fit customers; a listed connector is our cheapest acquisition channel.",
                    "value_to_customers": "Cash-flow forecasts from invoices they already send, without exports.",
                    "they_lose": "The connector is on our roadmap for this half; dropping it costs us the quarter's main launch.",
                    "list_in_directory": True,
                },
            },
        ],
    },
    "globex": {
        # logistics integrations are low brand risk and the long tail is thousands of carriers
        "flow": {"answers": {"brand_risk": "no", "scale_review": "no"}, "choice": "open"},
        "settings": {"applications_open": True, "directory_public": True, "trust_threshold": 55},
        "applications": [
            {
                "outcome": "admitted",
                "days_ago": 75,
                "answers": {
                    "company": "Routewise",
                    "website": "https://routewise.example",
                    "contact_name": "Elena Rossi",
                    "contact_email": "elena@routewise.example",
                    "contact_title": "CTO",
                    "offer": "Route optimisation that reads Globex shipments and returns delivery windows.",
                    "value_to_them": "Globex shippers are the volume our optimiser needs.",
                    "value_to_customers": "Tighter delivery windows quoted at booking.",
                    "they_lose": "The API work of a full team for two months, and our largest pilot customer.",
                    "list_in_directory": True,
                },
                # quality, days ago, boundary status, artifact
                "evidence": [
                    ("pilot", 50, "intact", "Pilot with 12 shippers: 94% of windows met."),
                    (
                        "real",
                        20,
                        "intact",
                        "Production month: 41k shipments routed, 96% of windows met.",
                    ),
                    ("real", 6, "intact", "Second production month: 52k shipments, no incident."),
                ],
            },
            {
                "outcome": "admitted",
                "days_ago": 60,
                "answers": {
                    "company": "DockLedger",
                    "website": "https://dockledger.example",
                    "contact_name": "Tom Becker",
                    "contact_email": "tom@dockledger.example",
                    "contact_title": "Product Manager",
                    "offer": "Dock appointment booking synced with Globex pickups.",
                    "value_to_them": "Warehouse customers through Globex.",
                    "value_to_customers": "Fewer trucks waiting at the dock.",
                    "they_lose": "The integration sprint we already spent.",
                    "list_in_directory": True,
                },
                "evidence": [
                    ("demo", 40, "intact", "Demo to three warehouse managers."),
                    (
                        "pilot",
                        12,
                        "strained",
                        "Pilot: bookings synced, but 8% arrived after the cut-off.",
                    ),
                ],
            },
            {
                "outcome": "admitted",
                "days_ago": 110,
                "answers": {
                    "company": "ParcelPing",
                    "website": "https://parcelping.example",
                    "contact_name": "Jo Park",
                    "contact_email": "jo@parcelping.example",
                    "contact_title": "Founder",
                    "offer": "SMS notifications for parcel status.",
                    "value_to_them": "Per-message revenue.",
                    "value_to_customers": "Recipients know when a parcel is near.",
                    "they_lose": "Some revenue.",
                    "list_in_directory": False,
                },
                "evidence": [
                    ("anecdote", 100, "intact", "A shipper said recipients liked the texts."),
                    ("anecdote", 21, "violated", "Texts sent to recipients who had opted out."),
                ],
            },
        ],
    },
}
