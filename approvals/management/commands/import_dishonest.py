from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from approvals.services import ImportRejected, dishonest_list_import
from approvals.services.dishonest import DEFAULT_LIST


class Command(BaseCommand):
    help = "Import a CSV list of seriously dishonest subjects: the whole file or nothing."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--list", dest="list_name", default=DEFAULT_LIST)

    def handle(self, *args, path, list_name, **options):
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"{path}: no such file")
        try:
            record = dishonest_list_import(data=file.read_bytes(), filename=file.name, list_name=list_name)
        except ImportRejected as rejected:
            for line in rejected.lines():
                self.stderr.write(line)
            raise CommandError(f"nothing imported: {len(rejected.errors)} bad row(s)")
        self.stdout.write(
            f"{record.rows} rows: {record.created} new, {record.updated} updated, {record.unchanged} unchanged"
        )
