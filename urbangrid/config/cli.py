"""The `urbangrid` console command: Django's management commands under the project's name
(`urbangrid demo`, `urbangrid import_grids …`, `urbangrid audit verify`)."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "urbangrid.config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["urbangrid", *sys.argv[1:]])


if __name__ == "__main__":
    main()
