"""The citizen app's channel account: the actor of every report, rating and reopening made from
the public pages, so the case trail says which channel acted while citizens need no login."""

from django.db import transaction

from urbangrid.accounts import services as accounts
from urbangrid.accounts.models import Role, User
from urbangrid.geo.models import Division

USERNAME = "citizen-app"


@transaction.atomic
def channel_account() -> User:
    """The account, created on first use. It acts for citizens anywhere in the jurisdiction, so
    its data scope is every top-level division (kept up to date when divisions are added)."""
    user = User.objects.filter(username=USERNAME).first()
    tops = list(Division.objects.filter(parent__isnull=True).order_by("code"))
    if user is not None and set(user.areas.values_list("pk", flat=True)) == {d.pk for d in tops}:
        return user
    user = accounts.save_user(None, username=USERNAME, roles=[Role.CITIZEN], areas=tops, full_name="市民通")
    if user.has_usable_password():
        user.set_unusable_password()  # a channel account never logs in
        user.save(update_fields=["password"])
    return user
