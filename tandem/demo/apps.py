from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo couple (``load_demo``), synthetic data sets (``seed_synthetic``)
    and the benchmark's floor page: tools around the product, not part of it.
    Both commands refuse to run with DEBUG off."""

    name = "tandem.demo"
    label = "demo"
