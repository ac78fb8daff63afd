"""How the catalogue admin writes: through references.services, never through a form's save().

Django's admin saves in steps inside one transaction: `save_model` (the object), then
`save_related` (its many-to-many fields, then each inline formset through `save_formset`). The
catalogue's admins call a service in `save_model`; the service sets the many-to-many fields
itself (`SavedByServiceMixin` keeps the form from writing them again), and `save_inline` saves an
inline's rows through services too. The forms still parse and validate as before.
"""

from collections.abc import Callable, Collection
from typing import Any

from django import forms
from django.db import models


def form_values(form: forms.ModelForm, fields: type, *, without: Collection[str] = ()) -> dict[str, Any]:
    """The form's cleaned values that a service takes: `fields` is the service's TypedDict (an
    admin form also holds what the service does not take, such as an inline's parent or its
    delete box)."""
    names = (fields.__required_keys__ | fields.__optional_keys__) - set(without)
    return {name: value for name, value in form.cleaned_data.items() if name in names}


def adopt(unsaved: models.Model, saved: models.Model) -> None:
    """Give the admin's own, unsaved object the values of the row a service created, its id
    first: the admin goes on with its object (the inline rows, the history entry, the redirect)."""
    for field in saved._meta.concrete_fields:
        setattr(unsaved, field.attname, getattr(saved, field.attname))
    unsaved._state.adding = False
    unsaved._state.db = saved._state.db


def save_inline(
    formset: forms.BaseModelFormSet,
    *,
    fields: type,
    create: Callable[[dict[str, Any]], models.Model],
    update: Callable[[models.Model, dict[str, Any]], object],
) -> None:
    """Save an inline's rows through services: `create(values)` for each new row and
    `update(row, values)` for each changed one; rows ticked for deletion are deleted as the admin
    always did. `fields` is the services' TypedDict; the parent is the services' to pass."""
    # Sorts the forms into new, changed and deleted objects (the admin's history entry lists them)
    # and writes nothing.
    formset.save(commit=False)
    for obj in formset.deleted_objects:
        formset.delete_existing(obj)
    for form in formset.saved_forms:
        values = form_values(form, fields, without={formset.fk.name})
        if form.instance._state.adding:
            adopt(form.instance, create(values))
        else:
            update(form.instance, values)


class SavedByServiceMixin:
    """For a ModelAdmin whose `save_model` calls a service that sets the many-to-many fields too:
    `save_related` saves the inlines only, without the form's own `save_m2m()`."""

    def save_related(self, request, form, formsets, change):
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)
