from django.apps import AppConfig


class CreatorsConfig(AppConfig):
    name = "creators"
    verbose_name = "Creator base"
