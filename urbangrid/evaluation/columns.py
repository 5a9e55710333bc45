"""The indicator columns of each subject kind, as the ranking page and the bulletin show them."""

from django.utils.translation import gettext_lazy

# (indicator, label, format): "n" a count, "%" a percentage 0–100, "h" working hours.
SATISFACTION = [
    ("rated", gettext_lazy("Follow-ups rated"), "n"),
    ("satisfaction_rate", gettext_lazy("Public satisfaction rate"), "%"),
]
COLUMNS = {
    "department": [
        ("due", gettext_lazy("Due for disposal"), "n"),
        ("done", gettext_lazy("Disposed"), "n"),
        ("disposal_rate", gettext_lazy("Disposal rate"), "%"),
        ("on_time", gettext_lazy("Disposed on time"), "n"),
        ("on_time_rate", gettext_lazy("On-time disposal rate"), "%"),
        ("late", gettext_lazy("Disposed late"), "n"),
        ("reworked", gettext_lazy("Reworked"), "n"),
        ("rework_rate", gettext_lazy("Rework rate"), "%"),
        ("overdue_open", gettext_lazy("Overdue, not disposed"), "n"),
        ("avg_hours", gettext_lazy("Mean disposal time (working hours)"), "h"),
        *SATISFACTION,
    ],
    "street": [
        ("filed", gettext_lazy("Filed"), "n"),
        ("closed", gettext_lazy("Cases closed"), "n"),
        ("closure_rate", gettext_lazy("Closure rate"), "%"),
        ("on_time_closed", gettext_lazy("Closed on time"), "n"),
        ("on_time_closure_rate", gettext_lazy("On-time closure rate"), "%"),
        ("public", gettext_lazy("Public reports"), "n"),
        ("public_share", gettext_lazy("Public report rate"), "%"),
        *SATISFACTION,
    ],
    "supervisor": [
        ("reported", gettext_lazy("Reports made"), "n"),
        ("valid", gettext_lazy("Valid reports"), "n"),
        ("valid_rate", gettext_lazy("Valid report rate"), "%"),
        ("verify_due", gettext_lazy("Verifications due"), "n"),
        ("verify_on_time", gettext_lazy("Verified on time"), "n"),
        ("on_time_verify_rate", gettext_lazy("On-time verification rate"), "%"),
        ("check_due", gettext_lazy("Checks due"), "n"),
        ("check_on_time", gettext_lazy("Checked on time"), "n"),
        ("on_time_check_rate", gettext_lazy("On-time check rate"), "%"),
        ("missed", gettext_lazy("Missed"), "n"),
        ("missed_rate", gettext_lazy("Missed report rate"), "%"),
    ],
    "intake": [
        ("accepted", gettext_lazy("Reports taken in"), "n"),
        ("verify_sent", gettext_lazy("Verifications sent"), "n"),
        ("verify_sent_on_time", gettext_lazy("Verifications sent on time"), "n"),
        ("on_time_verify_send_rate", gettext_lazy("On-time verification sending rate"), "%"),
        ("check_sent", gettext_lazy("Checks sent"), "n"),
        ("check_sent_on_time", gettext_lazy("Checks sent on time"), "n"),
        ("on_time_check_send_rate", gettext_lazy("On-time check sending rate"), "%"),
    ],
    "shift_leader": [
        ("filed", gettext_lazy("Filed"), "n"),
        ("filed_on_time", gettext_lazy("Filed on time"), "n"),
        ("on_time_filing_rate", gettext_lazy("On-time filing rate"), "%"),
        ("cancelled", gettext_lazy("Cancelled later"), "n"),
        ("accurate_filing_rate", gettext_lazy("Accurate filing rate"), "%"),
        ("closed", gettext_lazy("Cases closed"), "n"),
        ("closed_on_time", gettext_lazy("Closed on time"), "n"),
        ("on_time_closing_rate", gettext_lazy("On-time closing rate"), "%"),
    ],
    "dispatcher": [
        ("dispatched", gettext_lazy("Dispatched"), "n"),
        ("dispatched_on_time", gettext_lazy("Dispatched on time"), "n"),
        ("on_time_dispatch_rate", gettext_lazy("On-time dispatch rate"), "%"),
        ("returned", gettext_lazy("Returned"), "n"),
        ("accurate_dispatch_rate", gettext_lazy("Accurate dispatch rate"), "%"),
    ],
}
COLUMNS["community"] = COLUMNS["street"]

RATES = frozenset(name for columns in COLUMNS.values() for name, _label, fmt in columns if fmt == "%")


def labelled(kind: str) -> list[tuple[str, object]]:
    """(indicator, label) pairs of a subject kind."""
    return [(name, label) for name, label, _fmt in COLUMNS[kind]]
