"""Verify every organization's evidence log; exit 1 if any is not as recorded."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from accounts.models import Organization
from evidence.integrity import evidence_verify
from evidence.selectors import chain_check_store


class Command(BaseCommand):
    help = (
        "Verify each organization's evidence hash chain against its latest signed checkpoint "
        "and every stored file; name the first broken entry, a swapped file or the entries "
        "missing at the end."
    )

    def add_arguments(self, parser):
        parser.add_argument("--org", help="Only this organization (slug).")

    def handle(self, *args, **options):
        orgs = Organization.objects.order_by("slug")
        if options["org"]:
            orgs = orgs.filter(slug=options["org"])
        broken = 0
        for org in orgs:
            verdict = evidence_verify(org, files=True)
            chain_check_store(org, verdict, timezone.now())
            anchor = (
                f"checkpoint #{verdict.checkpoint.sequence}"
                if verdict.checkpoint
                else "no signed checkpoint yet"
            )
            if verdict.intact:
                self.stdout.write(f"{org.slug}: intact ({verdict.checked} entries); {anchor}")
            else:
                broken += 1
                self.stdout.write(self.style.ERROR(f"{org.slug}: BROKEN: {verdict.problem}"))
        if broken:
            raise SystemExit(1)
