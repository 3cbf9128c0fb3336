"""Exit 0 when the database answers, 1 (with the reason) when it does not. `make run`
asks this before migrating, so that it can start without a database."""

import sys

from django.core.management.base import BaseCommand
from django.db import DatabaseError, connection


class Command(BaseCommand):
    help = "Exit with status 0 when the database answers, 1 when it is unreachable."
    requires_system_checks = []

    def handle(self, *args, **options):
        try:
            connection.ensure_connection()
        except DatabaseError as exc:
            self.stderr.write(f"The database is unreachable: {str(exc).strip()}")
            sys.exit(1)
