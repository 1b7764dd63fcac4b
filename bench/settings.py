"""The benchmark's settings: the project's production settings, plus the benchmark's urlconf.

Everything is ``config.settings`` as read from the environment (bench/environment.py sets the
variables); only ``ROOT_URLCONF`` differs, so the benchmark can serve its bare-layout reference
page next to the real ones, in-process and through gunicorn alike.
"""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
