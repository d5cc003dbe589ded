from django.core.management.base import BaseCommand, CommandError

from config.words import counted
from creators import importjobs
from creators.models import ImportJob


class Command(BaseCommand):
    help = (
        "Run an import uploaded on the import page (its number is in the page's address) here, in the foreground, "
        "as a worker would: for a deployment without a worker, or to retry one by hand. A finished import is left "
        "as it is."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("job", type=int, help="the import's number (/creators/import/<number>/)")

    def handle(self, *args, job: int, **options) -> None:
        if not ImportJob.objects.filter(pk=job).exists():
            raise CommandError(f"there is no import {job}")
        status = importjobs.job_run(job)
        outcome = ImportJob.objects.get(pk=job)
        if status is None:
            raise CommandError(f"import {job} is {outcome.get_status_display().lower()}; nothing was done")
        self.stdout.write(f"Import {job} of {outcome.file_name}: {outcome.get_status_display().lower()}.")
        if outcome.status == ImportJob.Status.DONE:
            self.stdout.write(outcome.summary or "nothing to change")
        else:
            self.stderr.write(outcome.problems.rstrip("\n"))
            raise CommandError(f"{counted(outcome.problem_count, 'problem')}; nothing was imported.")
