from django.core.management.base import BaseCommand

from portal import services


class Command(BaseCommand):
    help = (
        'End the patient links whose time is up and raise "no log" alerts. '
        "Run it hourly (cron, or a Celery beat task calling portal.services.sweep)."
    )

    def handle(self, *args, **options):
        result = services.sweep()
        self.stdout.write(
            f"{result['links_ended']} link(s) ended, {result['alerts_raised']} alert(s) raised."
        )
