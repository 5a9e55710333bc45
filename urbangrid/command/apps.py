from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommandConfig(AppConfig):
    name = "urbangrid.command"
    label = "command"
    verbose_name = _("Command centre")

    def ready(self) -> None:
        from . import hub, services  # noqa: F401  (services registers the command.* actions)

        hub.install()
