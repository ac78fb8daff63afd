"""The content library through the API, with the pages' visibility (`Asset.objects.visible_to`):
marketing and the program every asset in every status (/content/assets/), a rep the published
ones they may use, never one under NDA (/sales/content/). Filters are the library search's facets
and words, parsed by its own form (`marketing.forms.AssetSearchForm`); recording a use goes
through `marketing.uses.asset_use_record`, as the sales page's."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from api.permissions import StaffRole
from api.serializers.flows_assets import AssetSerializer, AssetUseInputSerializer, AssetUseSerializer
from api.views.flows_base import fake_view
from api.views.program_common import NamedOrdering, ProgramPages
from core.errors import InvalidInput
from marketing.forms import AssetSearchForm, usable_opportunities
from marketing.models import Asset, AssetUse
from marketing.querysets import works_the_library
from marketing.search import FACETS, asset_rows, filter_assets
from marketing.sharing import share_token
from marketing.uses import asset_use_record
from references.models import Contact

_PARAMETERS = [
    OpenApiParameter("q", OpenApiTypes.STR, description="Words (all must match)."),
    *(
        OpenApiParameter(
            facet.key,
            OpenApiTypes.INT if facet.model is not None else OpenApiTypes.STR,
            many=True,
            enum=facet.choices.values if facet.choices is not None else None,
            description=f"{facet.label} (repeat for any of several)"
            + (": marketing and reference managers only." if facet.keepers_only else "."),
        )
        for facet in FACETS
    ),
]


class ApiAssetSearchForm(AssetSearchForm):
    """The library's search form; over-long words are refused with a 400 naming the field."""

    cut_to_fit = {}


def _assets(user):
    """The assets `user` may see, loaded as the library lists them, with their people too."""
    loaded = asset_rows(Asset.objects.visible_to(user), keeper=works_the_library(user))
    return loaded.prefetch_related(
        Prefetch("contacts", queryset=Contact.objects.only("pk", "first_name", "last_name")),
        "industries",
        "use_cases",
    )


class AssetList(generics.ListAPIView):
    """The library: every asset for marketing and the program; for reps the published ones they
    may use (never one under NDA). Filter by words and the search page's facets. A rep's list
    is the latest published first (`ordering=published_at` too); the keepers' the latest changed."""

    permission_classes = [StaffRole]
    serializer_class = AssetSerializer
    pagination_class = ProgramPages
    filter_backends = [NamedOrdering]
    orderings = {"updated_at": "updated_at", "created_at": "created_at", "title": "title"}
    default_ordering = "-updated_at"

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not fake_view(self) and not works_the_library(request.user):
            # A rep's library: the latest published first, as the sales page lists it (every
            # asset a rep sees is published, so the day is never empty).
            self.orderings = {**self.orderings, "published_at": "published_at"}
            self.default_ordering = "-published_at"

    def get_queryset(self):
        if fake_view(self):
            return Asset.objects.none()
        form = ApiAssetSearchForm(self.request.query_params, user=self.request.user)
        if form.errors:
            raise ValidationError({name: [str(m) for m in errors] for name, errors in form.errors.items()})
        return filter_assets(_assets(self.request.user), form.filters())

    @extend_schema(parameters=_PARAMETERS)
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class AssetDetail(generics.RetrieveAPIView):
    """One asset you may see (a rep: published, not under NDA); 404 for any other."""

    permission_classes = [StaffRole]
    serializer_class = AssetSerializer

    def get_object(self):
        return get_object_or_404(_assets(self.request.user), pk=self.kwargs["pk"])


class AssetUseCreate(APIView):
    """Record a use of a published asset: on one of your open or won deals, or for a campaign.
    A use by link answers with the public link to send."""

    permission_classes = [StaffRole]

    @extend_schema(request=AssetUseInputSerializer, responses={201: AssetUseSerializer})
    def post(self, request, pk: int):
        asset = get_object_or_404(Asset.objects.visible_to(request.user), pk=pk)
        incoming = AssetUseInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        deal = None
        if data.get("opportunity"):
            deal = usable_opportunities(request.user).filter(pk=data["opportunity"]).first()
            if deal is None:
                raise InvalidInput("Choose one of your open or won deals.", field="opportunity")
        use = asset_use_record(
            asset=asset,
            user=request.user,
            how=data["how"],
            opportunity=deal,
            campaign=data["campaign"],
            note=data["note"],
        )
        share_url = None
        if use.how == AssetUse.How.LINK:
            share_url = request.build_absolute_uri(reverse("shared:asset", args=[share_token(asset)]))
        body = AssetUseSerializer(use, context={"share_url": share_url}).data
        return Response(body, status=status.HTTP_201_CREATED)
