from django.apps import AppConfig


class WorkflowsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "workflows"

    def ready(self) -> None:
        from notifications.emails import register_staff_zone
        from workflows.event_notices import register_event_kinds
        from workflows.nomination_notices import register_nomination_kinds
        from workflows.notices import register_kinds
        from workflows.zones import zone_of

        register_kinds()
        register_nomination_kinds()
        register_event_kinds()
        register_staff_zone(zone_of)
