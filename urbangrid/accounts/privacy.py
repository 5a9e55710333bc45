"""What of a reporter the system shows: phone numbers masked (138****1234) to everyone except
the roles that call citizens back (受理员, 值班长; administrators maintain the data)."""

from urbangrid.accounts.models import Role

CALLBACK_ROLES = (Role.INTAKE, Role.SHIFT_LEADER, Role.ADMIN)


def mask_phone(phone: str) -> str:
    """138****1234; a number too short to keep 7 digits visible safely is starred entirely."""
    digits = (phone or "").strip()
    if len(digits) < 7:
        return "*" * len(digits)
    return f"{digits[:3]}****{digits[-4:]}"


def may_call_back(user) -> bool:
    return bool(user and user.is_authenticated and (user.is_superuser or user.has_role(*CALLBACK_ROLES)))


def phone_for(user, phone: str) -> str:
    """The number as `user` may see it."""
    return phone if may_call_back(user) else mask_phone(phone)
