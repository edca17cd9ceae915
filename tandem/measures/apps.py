from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    """Validated outcome measures, scored exactly, with reliable change."""

    name = "tandem.measures"
    verbose_name = "Outcome measures"
