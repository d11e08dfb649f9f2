from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModerationConfig(AppConfig):
    name = "moderation"
    verbose_name = _("moderation")

    def ready(self):
        from moderation.queries import moderated_reports
        from moderation.signals import connect_signals
        from notifications.rules import register_kind
        from notifications.subjects import register_subject

        # Notices without a line on the preferences page: those who handle reports, and the reporter.
        register_kind("report.created", push=True, email=False, digest=False)
        register_kind("report.resolved", push=True, email=False, digest=False)

        # What can be reported is registered by each app that owns it (media, posts, conversations).
        connect_signals()
        # A report's delivery report is for those who handle the report.
        register_subject("report", visible_to=moderated_reports)
