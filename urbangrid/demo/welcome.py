"""What `urbangrid demo` prints before it serves: where to go and whom to log in as."""

import unicodedata

from django.utils.translation import gettext as _

from urbangrid.accounts.models import Role

from .organisation import DEMO_ACCOUNTS, DEMO_PASSWORD


def width(text: str) -> int:
    """Columns a terminal gives the text: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def table(rows: list[tuple[str, ...]]) -> list[str]:
    widths = [max(width(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        "  ".join(cell + " " * (w - width(cell)) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]


def lines(port: int) -> list[str]:
    base = f"http://127.0.0.1:{port}"
    links = [
        (_("Home"), f"{base}/"),
        (_("Map"), f"{base}/geo/map/"),
        (_("Big screen"), f"{base}/command/screen/"),
        (_("Field app (城管通, on a phone)"), f"{base}/field/"),
        (_("Citizen app (市民通, no login)"), f"{base}/citizen/"),
        (_("12319 hotline desk"), f"{base}/hotline/"),
        (_("Administration (应用维护)"), f"{base}/admin/"),
        (_("API documentation"), f"{base}/api/v1/docs"),
    ]
    accounts = [(_("Role"), _("User name"), _("Password"), _("What to try"))]
    accounts += [
        (str(Role(a.role).label), a.username, DEMO_PASSWORD, str(a.what_to_try)) for a in DEMO_ACCOUNTS
    ]
    return ["", *table(links), "", _("Demo accounts:"), *table(accounts), ""]
