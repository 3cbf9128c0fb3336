"""
``manage.py render_handout PLAN_UUID -o FILE [--paper a4|letter] [--user USERNAME]``:
print a plan's home-exercise handout to a PDF file, from a shell or a batch job.

The print is traced like one from the web app (a ``HandoutPrint`` and an audit
event); it is made in the name of ``--user``, or of the plan's therapist.
"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from assessments.handouts import render_plan_handout
from assessments.models import Plan
from clinic.models import Clinic, User


class Command(BaseCommand):
    help = "Render a plan's home-exercise handout to a PDF file."

    def add_arguments(self, parser):
        parser.add_argument("plan", help="The plan's id (UUID).")
        parser.add_argument("-o", "--output", required=True, help="Where to write the PDF ('-' for stdout).")
        parser.add_argument(
            "--paper", choices=Clinic.PaperSize.values, help="Paper size (default: the clinic's setting)."
        )
        parser.add_argument("--user", help="Username of the person printing (default: the plan's therapist).")

    def handle(self, *args, plan, output, paper, user, **options):
        try:
            plan = Plan.objects.with_items().get(pk=plan)
        except (Plan.DoesNotExist, ValidationError, ValueError) as error:
            raise CommandError(f"No plan with id {plan!r}.") from error
        printer = plan.therapist
        if user:
            printer = User.objects.filter(username=user).first()
            if printer is None or plan.clinic_id not in printer.clinic_ids():
                raise CommandError(f"{user!r} is not a member of {plan.clinic}.")

        handout = render_plan_handout(plan, user=printer, paper=paper)

        if output == "-":
            self.stdout.buffer.write(handout.pdf)
            return
        Path(output).write_bytes(handout.pdf)
        self.stderr.write(
            f"Wrote {output}: {handout.page_count} pages, {handout.paper}, {len(handout.pdf)} bytes, "
            f"SHA-256 {handout.sha256}"
        )
