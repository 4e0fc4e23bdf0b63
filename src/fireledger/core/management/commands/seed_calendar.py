"""fireledger seed_calendar --years 2028-2030: load announced days off and make-up working days."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from fireledger.core.calendar import seed_from_package


def year_range(text: str) -> range:
    first, _, last = text.partition("-")
    try:
        start, end = int(first), int(last or first)
    except ValueError:
        raise CommandError(f"年份范围格式应为 2028 或 2028-2030，而不是「{text}」") from None
    if not 2000 <= start <= end <= 2100:
        raise CommandError(f"年份范围「{text}」不在 2000–2100 之内")
    return range(start, end + 1)


class Command(BaseCommand):
    help = "Load China's days off and make-up working days from the holidays package"

    def add_arguments(self, parser):
        parser.add_argument("--years", required=True, help="e.g. 2028 or 2028-2030")

    def handle(self, *args, years, **options):
        with transaction.atomic():
            written = seed_from_package(year_range(years))
        self.stdout.write(f"已写入 {written} 个日期 / {written} calendar days written")
