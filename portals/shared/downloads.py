"""Handing an asset's file out of storage: streamed, always as an attachment (the browser saves
it, never renders it on our origin), under the name it was uploaded with."""

import os

from django.http import FileResponse, Http404

from marketing.models import Asset


def open_asset_file(asset: Asset):
    """The asset's file from storage, opened for reading; 404 when it has none or it is gone."""
    if not asset.file:
        raise Http404("This asset has no file to download.")
    try:
        return asset.file.open("rb")
    except OSError:
        raise Http404("This asset's file is missing.") from None


def asset_file_response(asset: Asset, opened=None) -> FileResponse:
    """The file as a download (`opened`: the file `open_asset_file` already opened)."""
    opened = opened or open_asset_file(asset)
    name = asset.file_name or os.path.basename(asset.file.name)
    return FileResponse(opened, as_attachment=True, filename=name)
