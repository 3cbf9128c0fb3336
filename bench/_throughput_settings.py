"""Glide's settings with the throughput benchmark's URLs (``_throughput_urls``) and
its static files collected into ``BENCH_STATIC_ROOT``."""

import os

from clinic.settings import *  # noqa: F403

ROOT_URLCONF = "_throughput_urls"
STATIC_ROOT = os.environ["BENCH_STATIC_ROOT"]
