from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "urbangrid.core"
    label = "core"
    verbose_name = "UrbanGrid"
