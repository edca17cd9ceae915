from django.apps import AppConfig


class HomeConfig(AppConfig):
    """The top floor: pages that compose several domain apps (home, the couple
    page) and the layout's navigation. Domain apps never import it."""

    name = "tandem.home"
    label = "home"
