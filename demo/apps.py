from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo and scale data (seed_demo, the nation-scale generator). Nothing imports this app."""

    name = "demo"
    verbose_name = "演示数据"
