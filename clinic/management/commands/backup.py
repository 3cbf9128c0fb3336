"""``manage.py backup FILE``: all of Glide's data in one JSON file (see clinic.backup)."""

from django.core.management.base import BaseCommand

from clinic.audit import record
from clinic.backup import write_backup
from clinic.models import AuditEvent


class Command(BaseCommand):
    help = "Write all of Glide's data to FILE (.json, or .json.gz to compress it), readable by you only."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Where to write, e.g. glide-2026-11-24.json.gz")

    def handle(self, *args, file, **options):
        # Recorded first, so that the backup itself holds the trace of its making.
        record(None, AuditEvent.Action.EXPORT, object_type="backup", file=str(file))
        write_backup(file)
        self.stdout.write(f"Backed up Glide's data to {file}.")
