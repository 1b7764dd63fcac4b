"""An e-mail backend for the worker-crash test: one line per delivered message in a file.

It sleeps before each "delivery" so a test can kill the worker while digests are going out.
"""

import os
import time

from django.core.mail.backends.base import BaseEmailBackend


class SlowCountingBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        delay = float(os.environ.get("ACCORD_TEST_MAIL_DELAY", "0"))
        path = os.environ["ACCORD_TEST_MAIL_LOG"]
        for message in email_messages:
            time.sleep(delay)
            key = message.extra_headers.get("X-Accord-Key", "")
            with open(path, "a", encoding="utf-8") as fh:
                fh.write(f"{key}\t{message.to[0]}\n")
        return len(email_messages)
