"""The CRM's upserts: accounts, contacts and deals created or updated by their external id, one
at a time (`PUT /api/crm/<kind>/<external_id>/`) or up to 1,000 in a batch
(`POST /api/crm/<kind>/bulk/`), all or nothing, through `integrations.crm`.

For reference managers (and superusers), with a session or an API key holding the `crm_sync`
scope. A bad item is a 400 naming it and its fields: `fields: {"items": {"3": {"currency": [...]}}}`
for a batch, `fields: {"currency": [...]}` for one. A record's status is the program's: a
`status` sent is ignored, like every field the item does not list.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict
from typing import Any, ClassVar

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.parsers import BoundedJSONParser
from api.permissions import ManagerRole
from api.serializers.crm import (
    AccountBatchSerializer,
    AccountItemSerializer,
    AccountPutSerializer,
    BatchResultSerializer,
    ContactBatchSerializer,
    ContactItemSerializer,
    ContactPutSerializer,
    ItemResultSerializer,
    OpportunityBatchSerializer,
    OpportunityItemSerializer,
    OpportunityPutSerializer,
    RawBatchSerializer,
)
from integrations.crm import (
    BatchInvalid,
    ItemResult,
    UpsertResult,
    accounts_upsert,
    contacts_upsert,
    opportunities_upsert,
)
from integrations.models import KeyScope

# (request, items, refused): the items read (None for one refused), the refused ones' problems.
Upsert = Callable[[Request, Sequence[Mapping[str, Any] | None], Mapping[int, Mapping]], list[ItemResult]]


class CrmSyncRole(ManagerRole):
    """Reference managers (superusers always): the CRM writes the program's catalogue."""

    message = "Only reference managers may sync the CRM."


class CrmView(APIView):
    permission_classes = [CrmSyncRole]
    parser_classes = [BoundedJSONParser]
    key_scope = KeyScope.CRM_SYNC
    upsert: ClassVar[Upsert]


EXTERNAL_ID = OpenApiParameter(
    "external_id", OpenApiTypes.STR, OpenApiParameter.PATH, description="The record's id in the CRM."
)


class OneUpsert(CrmView):
    """PUT: create or update the record with this external id (201 created, 200 otherwise)."""

    item_serializer: ClassVar[type[serializers.Serializer]]

    def put(self, request: Request, external_id: str) -> Response:
        if not isinstance(request.data, dict):
            raise ValidationError({"non_field_errors": ["Send one JSON object."]})
        if request.data.get("external_id", external_id) != external_id:
            raise ValidationError({"external_id": ["The body's external id differs from the address's."]})
        incoming = self.item_serializer(data={**request.data, "external_id": external_id})
        incoming.is_valid(raise_exception=True)
        try:
            [result] = type(self).upsert(request, [incoming.validated_data], {})
        except BatchInvalid as refusal:
            raise ValidationError(refusal.errors[0]) from None
        created = result.result == UpsertResult.CREATED
        return Response(asdict(result), status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class BatchUpsert(CrmView):
    """POST: create or update up to 1,000 records by external id, all or nothing.

    Each item is read by itself, so that the 400 names every item at fault: those the item's
    serializer refuses and those the service refuses (an unknown code, owner or account)."""

    item_serializer: ClassVar[type[serializers.Serializer]]

    def post(self, request: Request) -> Response:
        incoming = RawBatchSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        items: list[Mapping[str, Any] | None] = []
        refused = {}
        for index, data in enumerate(incoming.validated_data["items"]):
            item = self.item_serializer(data=data)
            items.append(item.validated_data if item.is_valid() else None)
            if item.errors:
                refused[index] = item.errors
        try:
            results = type(self).upsert(request, items, refused)
        except BatchInvalid as refusal:
            raise ValidationError(
                {"items": {str(index): fields for index, fields in refusal.errors.items()}}
            ) from None
        return Response({"results": [asdict(result) for result in results]})


def _accounts(request: Request, items, refused) -> list[ItemResult]:
    return accounts_upsert(items=items, actor=request.user, refused=refused)


def _contacts(request: Request, items, refused) -> list[ItemResult]:
    return contacts_upsert(items=items, refused=refused)


def _opportunities(request: Request, items, refused) -> list[ItemResult]:
    return opportunities_upsert(items=items, refused=refused)


_ONE = {200: ItemResultSerializer, 201: ItemResultSerializer}


class AccountUpsert(OneUpsert):
    item_serializer = AccountItemSerializer
    upsert = staticmethod(_accounts)

    @extend_schema(request=AccountPutSerializer, responses=_ONE, parameters=[EXTERNAL_ID])
    def put(self, request: Request, external_id: str) -> Response:
        return super().put(request, external_id)


class AccountBatch(BatchUpsert):
    item_serializer = AccountItemSerializer
    upsert = staticmethod(_accounts)

    @extend_schema(request=AccountBatchSerializer, responses={200: BatchResultSerializer})
    def post(self, request: Request) -> Response:
        return super().post(request)


class ContactUpsert(OneUpsert):
    item_serializer = ContactItemSerializer
    upsert = staticmethod(_contacts)

    @extend_schema(request=ContactPutSerializer, responses=_ONE, parameters=[EXTERNAL_ID])
    def put(self, request: Request, external_id: str) -> Response:
        return super().put(request, external_id)


class ContactBatch(BatchUpsert):
    item_serializer = ContactItemSerializer
    upsert = staticmethod(_contacts)

    @extend_schema(request=ContactBatchSerializer, responses={200: BatchResultSerializer})
    def post(self, request: Request) -> Response:
        return super().post(request)


class OpportunityUpsert(OneUpsert):
    item_serializer = OpportunityItemSerializer
    upsert = staticmethod(_opportunities)

    @extend_schema(request=OpportunityPutSerializer, responses=_ONE, parameters=[EXTERNAL_ID])
    def put(self, request: Request, external_id: str) -> Response:
        return super().put(request, external_id)


class OpportunityBatch(BatchUpsert):
    item_serializer = OpportunityItemSerializer
    upsert = staticmethod(_opportunities)

    @extend_schema(request=OpportunityBatchSerializer, responses={200: BatchResultSerializer})
    def post(self, request: Request) -> Response:
        return super().post(request)
