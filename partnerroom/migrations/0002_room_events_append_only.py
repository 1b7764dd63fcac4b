"""PostgreSQL only: the database refuses to rewrite a line of the room's audit trail.

An UPDATE that changes what a line says (its kind, page, detail, time, address, user agent,
organization or partner) is refused. Only the links to a contact, session, access, partnership
or member may become NULL, so that deleting one of those (``SET_NULL``) keeps the line instead
of failing. A DELETE happens only when the organization or the partner itself is deleted.
"""

from django.db import migrations

TRIGGER_SQL = """
CREATE OR REPLACE FUNCTION partnerroom_event_refuse_change() RETURNS trigger AS $$
BEGIN
    IF NEW.kind IS DISTINCT FROM OLD.kind
       OR NEW.path IS DISTINCT FROM OLD.path
       OR NEW.detail IS DISTINCT FROM OLD.detail
       OR NEW.created_at IS DISTINCT FROM OLD.created_at
       OR NEW.ip_address IS DISTINCT FROM OLD.ip_address
       OR NEW.user_agent IS DISTINCT FROM OLD.user_agent
       OR NEW.organization_id IS DISTINCT FROM OLD.organization_id
       OR NEW.partner_id IS DISTINCT FROM OLD.partner_id
       OR (NEW.access_id IS NOT NULL AND NEW.access_id IS DISTINCT FROM OLD.access_id)
       OR (NEW.contact_id IS NOT NULL AND NEW.contact_id IS DISTINCT FROM OLD.contact_id)
       OR (NEW.session_id IS NOT NULL AND NEW.session_id IS DISTINCT FROM OLD.session_id)
       OR (NEW.partnership_id IS NOT NULL
           AND NEW.partnership_id IS DISTINCT FROM OLD.partnership_id)
       OR (NEW.actor_id IS NOT NULL AND NEW.actor_id IS DISTINCT FROM OLD.actor_id)
    THEN
        RAISE EXCEPTION 'the partner room audit trail is append-only: UPDATE refused'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS partnerroom_event_append_only ON partnerroom_roomevent;
CREATE TRIGGER partnerroom_event_append_only
    BEFORE UPDATE ON partnerroom_roomevent
    FOR EACH ROW EXECUTE FUNCTION partnerroom_event_refuse_change();
"""

DROP_SQL = """
DROP TRIGGER IF EXISTS partnerroom_event_append_only ON partnerroom_roomevent;
DROP FUNCTION IF EXISTS partnerroom_event_refuse_change();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRIGGER_SQL, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_SQL, params=None)


class Migration(migrations.Migration):
    dependencies = [("partnerroom", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
