"""`fireledger export_places OUT.xlsx --user USERNAME [--category C] [--jurisdiction CODE]`.

Writes the places USERNAME may see, narrowed like the list page, in the import template's
layout (so the file imports again).
"""

from types import SimpleNamespace

from django.core.management.base import BaseCommand, CommandError
from django.http import QueryDict

from fireledger.core.models import Jurisdiction, User
from fireledger.places import exports
from fireledger.places.choices import Category
from fireledger.places.filters import PlaceFilter
from fireledger.places.models import Place


class Command(BaseCommand):
    help = "Export the places a user may see to .xlsx (same columns as the import template)."

    def add_arguments(self, parser):
        parser.add_argument("out", help="the .xlsx file to write")
        parser.add_argument("--user", required=True, help="export what this user may see")
        parser.add_argument("--category", action="append", default=[],
                            help="only this category code (repeatable)")
        parser.add_argument("--jurisdiction", help="only this subtree: a division code or prefix")
        parser.add_argument("--q", help="search text, as on the list page")

    def handle(self, *args, out, user, category, jurisdiction, q, **options):
        try:
            actor = User.objects.get(username=user)
        except User.DoesNotExist:
            raise CommandError(f"no user named {user!r}") from None
        queryset = Place.objects.visible_to(actor, "view")
        params = QueryDict(mutable=True)
        if jurisdiction:
            node = Jurisdiction.objects.filter(code=jurisdiction).first()
            params["jurisdiction"] = node.prefix if node else jurisdiction
        if q:
            params["q"] = q
        unknown = set(category) - set(Category.values)
        if unknown:
            raise CommandError(f"unknown category: {', '.join(sorted(unknown))}; "
                               f"one of {', '.join(Category.values)}")
        if category:
            queryset = queryset.filter(category__in=category)
        place_filter = PlaceFilter(params, queryset=queryset,
                                   request=SimpleNamespace(user=actor, GET=params))
        if not place_filter.is_valid():
            raise CommandError(f"invalid filter: {place_filter.errors.as_text()}")
        written = exports.write_places(place_filter.qs, out)
        self.stdout.write(self.style.SUCCESS(f"{written} place(s) written to {out}"))
