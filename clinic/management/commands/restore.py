"""``manage.py restore FILE``: load a backup written by ``manage.py backup`` (see
clinic.backup). Refuses a database that already holds data unless ``--force``."""

from django.core.management.base import BaseCommand

from clinic.audit import record
from clinic.backup import restore_backup
from clinic.models import AuditEvent


class Command(BaseCommand):
    help = "Load a backup written by `manage.py backup` into an empty database."

    def add_arguments(self, parser):
        parser.add_argument("file", help="A file written by `manage.py backup`")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace everything in a database that already holds data.",
        )

    def handle(self, *args, file, force, **options):
        restore_backup(file, force=force)
        record(None, AuditEvent.Action.IMPORT, object_type="backup", file=str(file))
        self.stdout.write(f"Restored Glide's data from {file}. Everyone signs in again.")
