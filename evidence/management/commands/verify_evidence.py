"""Verify every organization's evidence hash chain; exit 1 if any is broken."""

from django.core.cache import cache
from django.core.management.base import BaseCommand
from django.utils import timezone

from accounts.models import Organization
from evidence.chain import chain_verify
from evidence.selectors import CHAIN_CACHE_SECONDS, chain_cache_key


class Command(BaseCommand):
    help = "Verify each organization's evidence hash chain; name the first broken entry."

    def add_arguments(self, parser):
        parser.add_argument("--org", help="Only this organization (slug).")

    def handle(self, *args, **options):
        orgs = Organization.objects.order_by("slug")
        if options["org"]:
            orgs = orgs.filter(slug=options["org"])
        broken = 0
        for org in orgs:
            report = chain_verify(org.pk)
            cache.set(
                chain_cache_key(org),
                {"report": report, "checked_at": timezone.now()},
                CHAIN_CACHE_SECONDS,
            )
            if report.intact:
                self.stdout.write(f"{org.slug}: intact ({report.checked} entries)")
            else:
                broken += 1
                self.stdout.write(
                    self.style.ERROR(
                        f"{org.slug}: BROKEN at entry #{report.broken_sequence} "
                        f"({report.broken_uuid}): {report.problem}"
                    )
                )
        if broken:
            raise SystemExit(1)
