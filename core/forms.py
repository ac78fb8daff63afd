"""Form plumbing shared by every page that writes through a service."""

from core.errors import DomainError


class DomainErrorsMixin:
    """Puts a service's domain error on the form field it names (or on the form as a whole)."""

    # Service field name → form field name, where they differ.
    service_fields: dict[str, str] = {}

    def add_domain_error(self, error: DomainError, message=None) -> None:
        field = self.service_fields.get(error.field or "", error.field)
        self.add_error(field if field in self.fields else None, message or error.message)
