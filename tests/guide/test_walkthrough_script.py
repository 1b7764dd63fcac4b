"""The walkthrough script's own logic: caption timing and the signing link read from mail files.

The recording itself (``make walkthrough``) drives a browser for minutes and is not part of the
test suite; these are the parts of it that can break quietly.
"""

import pytest
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.filebased import EmailBackend
from django.urls import reverse

from walkthrough.captions import Timeline, timestamp, vtt
from walkthrough.walk import StepFailed, Walk


def test_timestamps_are_webvtt_hours_minutes_seconds_millis():
    assert timestamp(0) == "00:00:00.000"
    assert timestamp(83.4567) == "00:01:23.457"
    assert timestamp(3725.2) == "01:02:05.200"
    assert timestamp(-1) == "00:00:00.000"


def test_each_cue_lasts_until_the_next_step_starts():
    timeline = Timeline(started=0.0)
    clock = iter([1.0, 4.5, 9.0])
    timeline.now = lambda: next(clock)
    timeline.begin("one", {"en": "First", "es": "Primero"})
    timeline.begin("two", {"en": "Second", "es": "Segundo"})
    timeline.finish()
    spans = [(c.key, c.start, c.end) for c in timeline.cues]
    assert spans == [("one", 1.0, 4.5), ("two", 4.5, 9.0)]
    spanish = vtt(timeline.cues, "es")
    assert spanish.startswith("WEBVTT\n\none\n00:00:01.000 --> 00:00:04.500\nPrimero\n")
    assert "two\n00:00:04.500 --> 00:00:09.000\nSegundo\n" in spanish


def _send(folder, to, body):
    connection = EmailBackend(file_path=str(folder))  # what the walkthrough's server uses
    message = EmailMultiAlternatives("Please sign", body, "a@b.test", [to], connection=connection)
    message.attach_alternative(f"<p>{body}</p>", "text/html")
    message.send()


def test_the_signing_link_is_read_from_the_mail_files(tmp_path):
    (tmp_path / "mail").mkdir()
    link = reverse("charters:sign", kwargs={"token": "abc_DEF-123"})
    _send(tmp_path / "mail", "someone@else.example", "Not yours: /charters/sign/zzz/")
    _send(tmp_path / "mail", "lucia@lumenpay.example", f"Sign here: http://x{link} (ñ)")
    walk = Walk(None, "http://127.0.0.1:9", Timeline(), tmp_path, pause=0)
    found = walk.mailed_link("lucia@lumenpay.example", "charters:sign", "token", timeout=1)
    assert found == f"http://127.0.0.1:9{link}"


def test_a_missing_mail_or_page_names_the_step(tmp_path):
    (tmp_path / "mail").mkdir()
    walk = Walk(None, "http://127.0.0.1:9", Timeline(), tmp_path, pause=0)
    walk.current = "partner-opens"
    with pytest.raises(StepFailed, match="Step “partner-opens”: no e-mail to x@y.example"):
        walk.mailed_link("x@y.example", "charters:sign", "token", timeout=0.2)
    with pytest.raises(StepFailed, match="the page 'charters:no_such_page' is missing"):
        walk.url("charters:no_such_page")
