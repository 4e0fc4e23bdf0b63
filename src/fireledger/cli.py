"""The `fireledger` console command: Django's management commands under one name."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fireledger.settings")
    from django.core.management import execute_from_command_line

    args = sys.argv[1:]
    # `fireledger parse-plan` runs parse_plan (and `fireledger help parse-plan` its help)
    name = 1 if args[:1] == ["help"] else 0
    if len(args) > name and not args[name].startswith("-"):
        args[name] = args[name].replace("-", "_")
    execute_from_command_line(["fireledger", *args])


if __name__ == "__main__":
    main()
