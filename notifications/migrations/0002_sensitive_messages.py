"""Sensitive messages: flagged, redacted once delivered.

Messages queued before this migration that carried a live secret (allauth's, invitations,
signing links, reminders with a fresh link, one-time codes) are marked sensitive; those already
sent are redacted now, and pending ones are redacted when they are sent.
"""

from django.db import migrations, models
from django.db.models import Q
from django.utils import timezone

SECRET_KEY_PREFIXES = ("account:", "invitation:", "charter-sign:", "charter-remind:", "charter-code:")
REDACTED_SUBJECT = "(redacted after delivery)"
REDACTED_BODY = (
    "This e-mail carried a personal link or one-time code. Its text was removed from the "
    "outbox when it was delivered (or given up), so the link or code is not stored here."
)


def redact_earlier_secrets(apps, schema_editor):
    OutboundEmail = apps.get_model("notifications", "OutboundEmail")
    carries = Q()
    for prefix in SECRET_KEY_PREFIXES:
        carries |= Q(key__startswith=prefix)
    rows = OutboundEmail.objects.using(schema_editor.connection.alias)
    rows.filter(carries).update(sensitive=True)
    rows.filter(carries, state="sent").update(
        subject=REDACTED_SUBJECT, body_text=REDACTED_BODY, body_html="", redacted_at=timezone.now()
    )


class Migration(migrations.Migration):

    dependencies = [
        ('notifications', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='outboundemail',
            name='redacted_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='outboundemail',
            name='sensitive',
            field=models.BooleanField(default=False, help_text='Carries a link token or code: redacted once sent or given up, never shown.'),
        ),
        migrations.RunPython(redact_earlier_secrets, migrations.RunPython.noop),
    ]
