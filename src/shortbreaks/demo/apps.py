from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The fictional borough of Dovebridge, for trying the platform and for the benchmarks. It
    sits above every app and builds on all of them; no app imports it."""

    name = "shortbreaks.demo"
    label = "demo"
