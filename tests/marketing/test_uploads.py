"""Upload checks: a file is taken only when its extension is one we accept, its content is that
kind of file and it fits the size limit; otherwise the form says why and nothing is stored —
no file in the storage, no row."""

from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from core.errors import InvalidInput
from marketing.models import Asset, AssetEvent
from marketing.uploads import upload_check
from tests.builders import catalogue
from tests.builders.marketing import PDF_BYTES, PNG_BYTES, make_asset, office_bytes, upload


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(media: Path) -> list[Path]:
    return [p for p in Path(media).rglob("*") if p.is_file()]


def _post_asset(client, user, file):
    client.force_login(user)
    data = {"title": "Globex case study", "kind": "case_study", "usage_rights": "public", "owner": user.pk}
    return client.post(reverse("content:asset-new"), {**data, "upload": file})


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("story.exe", b"MZ\x90\x00", "not a file type we take"),
        ("story.html", b"<html></html>", "not a file type we take"),
        ("story.pdf", PNG_BYTES, "named like a PDF but its content is not one"),
        ("logo.png", PDF_BYTES, "named like a PNG image but its content is not one"),
        ("photo.jpg", b"GIF89a" + b"\x00" * 20, "named like a JPEG image"),
        ("clip.mp4", b"\x00" * 32, "named like a MP4 video"),
        ("deck.pptx", b"PK\x03\x04 not really a zip", "named like a PowerPoint deck"),
        ("deck.pptx", office_bytes("word/"), "named like a PowerPoint deck"),  # a Word file renamed
        ("sheet.xlsx", office_bytes("ppt/"), "named like a Excel workbook"),
    ],
    ids=lambda value: value if isinstance(value, str) and len(value) < 20 else "",
)
def test_a_wrong_or_mismatched_file_is_a_form_error_and_nothing_is_stored(
    client, marketer, media, name, content, says
):
    response = _post_asset(client, marketer, upload(name, content))
    assert response.status_code == 400
    errors = response.context["form"].errors["upload"]
    assert any(says in e for e in errors), errors
    assert Asset.objects.count() == 0 and AssetEvent.objects.count() == 0
    assert stored_files(media) == []


def test_a_file_over_the_size_limit_is_refused_before_it_is_stored(client, marketer, media, settings):
    settings.ASSET_UPLOAD_MAX_MB = 1
    big = PDF_BYTES + b"0" * (1024 * 1024)
    response = _post_asset(client, marketer, upload("big.pdf", big))
    assert response.status_code == 400
    assert "larger than the 1 MB" in response.context["form"].errors["upload"][0]
    assert Asset.objects.count() == 0 and stored_files(media) == []


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("story.pdf", PDF_BYTES, "application/pdf"),
        ("LOGO.PNG", PNG_BYTES, "image/png"),
        ("clip.mp4", b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 16, "video/mp4"),
        ("deck.pptx", office_bytes("ppt/"), "presentationml"),
        ("brief.docx", office_bytes("word/"), "wordprocessingml"),
        ("figures.xlsx", office_bytes("xl/"), "spreadsheetml"),
    ],
    ids=lambda value: value if isinstance(value, str) and len(value) < 20 else "",
)
def test_a_good_file_is_stored_through_the_storage_api(client, marketer, media, name, content, content_type):
    response = _post_asset(client, marketer, upload(name, content))
    assert response.status_code == 302
    asset = Asset.objects.get()
    assert asset.file_name == name and content_type in asset.file_content_type
    assert asset.file_size == len(content)
    assert default_storage.exists(asset.file.name)
    assert [p.name for p in stored_files(media)] == [Path(asset.file.name).name]


def test_the_content_type_the_browser_claims_is_not_believed(marketer):
    with pytest.raises(InvalidInput, match="content is not one"):
        upload_check(upload("story.pdf", b"#!/bin/sh\nrm -rf /\n", "application/pdf"))


def test_a_file_stored_by_a_write_that_then_fails_is_deleted_again(marketer, media, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(AssetEvent, "save", fail)
    with pytest.raises(RuntimeError):
        make_asset(marketer, upload=upload("story.pdf", PDF_BYTES))
    assert Asset.objects.count() == 0
    assert stored_files(media) == []


def test_replacing_a_drafts_file_deletes_the_old_one_after_commit(
    client, marketer, media, django_capture_on_commit_callbacks
):
    asset = make_asset(marketer, upload=upload("first.pdf", PDF_BYTES))
    client.force_login(marketer)
    data = {
        "title": asset.title,
        "kind": asset.kind,
        "usage_rights": asset.usage_rights,
        "owner": marketer.pk,
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("content:asset-edit", args=[asset.pk]),
            {**data, "upload": upload("second.pdf", PDF_BYTES)},
        )
    assert response.status_code == 302
    assert [p.name for p in stored_files(media)] == ["second.pdf"]


def test_an_agreement_file_is_checked_the_same_way(client, marketer, media):
    account = catalogue.make_account(catalogue.make_user("owen"), name="Initech")
    client.force_login(marketer)
    response = client.post(
        reverse("content:account-permissions", args=[account.pk]),
        {"kind": "logo", "state": "granted", "source_file": upload("release.pdf", PNG_BYTES)},
    )
    assert response.status_code == 400
    assert "content is not one" in response.context["form"].errors["source_file"][0]
    assert not account.permissions.exists() and stored_files(media) == []


@pytest.mark.parametrize("stem", ["ä" * 250, "a" * 250], ids=["umlauts", "ascii"])
def test_a_very_long_file_name_is_stored_and_keeps_its_extension(client, marketer, media, stem):
    # A filesystem takes 255 bytes a name: 250 umlauts (500 bytes) were a 500, and a long ASCII
    # name was cut to 200 characters, losing its ".pdf" (the download came back without it).
    response = _post_asset(client, marketer, upload(stem + ".pdf", PDF_BYTES))

    assert response.status_code == 302
    asset = Asset.objects.get()
    assert asset.file_name.endswith(".pdf") and len(asset.file_name) <= 200
    assert asset.file_name.startswith(stem[:50])
    assert asset.file.name.endswith(".pdf") and default_storage.exists(asset.file.name)
    assert [p.name for p in stored_files(media)] == [Path(asset.file.name).name]
