"""The demo: two organizations with a year of realistic partnership work (``seed_demo``).

The content is data (``demo/data/``: Python literals, and the evidence log as JSON), so it can
be read and changed without reading code. Each app has one small loader (``demo/loaders/``)
that reads its data and writes it through the same services the pages and the scheduler call,
so the demo is what a team using Accord would really have: real timelines, a hash chain that
verifies, charters sealed as in production, e-mails in the outbox. Where no service exists for
something (a date in the past, a decision already in effect), the loader says so and why.

This app sits above every other one: it imports them all, and none imports it.
"""
