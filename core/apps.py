from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"

    def ready(self):
        # The @task decorator builds each task with the class of the backend configured at that moment.
        # Importing every app's tasks at start-up builds them all under the configured backend, not
        # under whichever backend happens to be active (a test's override, say) at the first enqueue.
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("tasks")

        from core import checks  # noqa: F401 - registers the deploy checks
