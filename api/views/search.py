"""`GET /api/references/`: the reference search as JSON — the same form, the same selector and
the same ranking as the portal page; never a contact's email or phone."""

from django import forms
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from api.permissions import SalesRole
from api.serializers.search import SearchPageSerializer
from matching.forms import SearchForm
from matching.selectors import FACETS, search_references, target_for_opportunity, target_from_filters
from references.models import Opportunity

MAX_LIMIT = 100

_PARAMETERS = [
    OpenApiParameter("q", OpenApiTypes.STR, description="Words (all must match)."),
    OpenApiParameter("opportunity", OpenApiTypes.INT, description="Rank against this deal of yours."),
    OpenApiParameter("role", OpenApiTypes.INT, description="Persona id of the prospect's contact."),
    OpenApiParameter("after", OpenApiTypes.STR, description="The `next` cursor of the previous page."),
    OpenApiParameter("limit", OpenApiTypes.INT, description=f"Results per page, 1–{MAX_LIMIT} (20)."),
    *(
        OpenApiParameter(
            spec.key,
            OpenApiTypes.STR if spec.key == "language" else OpenApiTypes.INT,
            many=True,
            description=f"{spec.label} (repeat for any of several).",
        )
        for spec in FACETS
    ),
]


class ApiSearchForm(SearchForm):
    """The portal's search form and the page size an API client asks for. Over-long words are
    refused with 400 naming the field (a program reads errors, not notices)."""

    cut_to_fit = {}

    limit = forms.IntegerField(required=False, min_value=1, max_value=MAX_LIMIT)


class ReferenceSearch(APIView):
    permission_classes = [SalesRole]

    @extend_schema(parameters=_PARAMETERS, responses=SearchPageSerializer)
    def get(self, request):
        form = ApiSearchForm(request.query_params)
        if not form.is_valid():
            raise ValidationError({name: [str(m) for m in errors] for name, errors in form.errors.items()})
        filters = form.filters()
        deal = None
        if form.value_of("opportunity"):
            deals = Opportunity.objects.visible_to(request.user).prefetch_related("products")
            deal = get_object_or_404(deals, pk=form.value_of("opportunity"))
        role = form.value_of("role")
        target = (
            target_for_opportunity(deal, persona_id=role)
            if deal
            else target_from_filters(filters, persona_id=role)
        )
        page = search_references(
            filters=filters, target=target, after=form.cursor(), page_size=form.value_of("limit") or 20
        )
        next_url = None
        if page.next_cursor:
            params = request.query_params.copy()
            params["after"] = str(page.next_cursor)
            next_url = request.build_absolute_uri(f"{request.path}?{params.urlencode()}")
        return Response(SearchPageSerializer(page, context={"next": next_url}).data)
