"""The import pages: upload and dry run, the job's page, Import, the progress partial."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from integrations.models import ImportJob
from references.models import Contact
from tests.integrations.sheets import csv_bytes, program_rows, xlsx_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


def upload(client, data: bytes, name: str = "program.csv"):
    return client.post(reverse("manage:import"), {"file": SimpleUploadedFile(name, data)})


def test_a_manager_checks_a_file_then_imports_it(manager_client):
    page = manager_client.get(reverse("manage:import"))
    assert page.status_code == 200 and b"contact_external_id" in page.content
    answer = upload(manager_client, xlsx_bytes(program_rows(6, accounts=2)), "program.xlsx")
    job = ImportJob.objects.get()
    assert answer.status_code == 302 and answer.url == reverse("manage:import-job", args=[job.pk])
    shown = manager_client.get(answer.url).content.decode()
    assert "Dry run: nothing is written yet." in shown and not Contact.objects.exists()
    done = manager_client.post(reverse("manage:import-job-run", args=[job.pk]), follow=True)
    assert "The file is imported." in done.content.decode()
    assert Contact.objects.count() == 6
    again = manager_client.post(reverse("manage:import-job-run", args=[job.pk]), follow=True)
    assert "not ready to import" in again.content.decode() and Contact.objects.count() == 6


def test_row_errors_are_listed_by_row_and_column(manager_client):
    rows = program_rows(3, accounts=3)
    rows[1]["country"] = "Atlantis"
    answer = upload(manager_client, csv_bytes(rows))
    shown = manager_client.get(answer.url).content.decode()
    assert "1 error: nothing was written" in shown
    assert "<td>3</td><td><code>country</code></td>" in shown
    assert 'action="/manage/import/' not in shown  # no Import button


def test_a_bad_file_is_a_form_error_not_a_500(manager_client):
    answer = upload(manager_client, b"\x00\x01garbage", "program.csv")
    assert answer.status_code == 400 and "not a CSV file" in answer.content.decode()
    assert upload(manager_client, b"a", "program.pdf").status_code == 400
    assert manager_client.post(reverse("manage:import"), {}).status_code == 400
    assert not ImportJob.objects.exists()


def test_another_managers_job_is_not_found(client, manager, second_manager):
    job = ImportJob.objects.create(user=second_manager, filename="theirs.csv", content=b"", status="checked")
    client.force_login(manager)
    for name in ("manage:import-job", "manage:import-job-status"):
        assert client.get(reverse(name, args=[job.pk])).status_code == 404
    assert client.post(reverse("manage:import-job-run", args=[job.pk])).status_code == 404


def test_a_rep_cannot_import(client, sales_rep):
    client.force_login(sales_rep)
    assert client.get(reverse("manage:import")).status_code == 403


def test_the_template_downloads_with_every_column(manager_client):
    answer = manager_client.get(reverse("manage:import-template"))
    assert answer["Content-Type"].startswith("text/csv")
    assert answer.content.decode().splitlines()[0].startswith("account_external_id,account_name,")


def test_a_queued_job_shows_a_polling_progress_bar_then_the_result(
    manager_client, manager, settings, monkeypatch
):
    from integrations import tasks
    from integrations.spreadsheets.jobs import progress_set

    settings.IMPORT_BACKGROUND_ROWS = 2
    monkeypatch.setattr(tasks.run_import, "delay", lambda job_id: None)
    monkeypatch.setattr(tasks.check_import, "delay", lambda job_id: None)
    answer = upload(manager_client, csv_bytes(program_rows(4)))
    job = ImportJob.objects.get()
    status_url = reverse("manage:import-job-status", args=[job.pk])
    partial = manager_client.get(status_url).content.decode()
    assert "Checking the file" in partial and f'hx-get="{status_url}"' in partial
    tasks.check_import(job.pk)
    assert "Dry run: nothing is written yet." in manager_client.get(status_url).content.decode()
    manager_client.post(reverse("manage:import-job-run", args=[job.pk]))
    progress_set(job.pk, 3, 8)
    partial = manager_client.get(status_url).content.decode()
    assert f'hx-get="{status_url}"' in partial and 'value="37"' in partial
    tasks.run_import(job.pk)
    partial = manager_client.get(status_url).content.decode()
    assert "hx-get" not in partial and "Imported" in partial
    assert answer.status_code == 302


def _make_jobs(user, count: int) -> None:
    ImportJob.objects.bulk_create(
        ImportJob(user=user, filename=f"program-{i}.csv", content=b"", status=ImportJob.Status.DONE)
        for i in range(count)
    )


def test_the_import_page_costs_the_same_queries_for_1_or_10_recent_jobs(
    manager_client, manager, django_assert_max_num_queries
):
    _make_jobs(manager, 1)
    with CaptureQueriesContext(connection) as few:
        assert manager_client.get(reverse("manage:import")).status_code == 200
    _make_jobs(manager, 9)
    with django_assert_max_num_queries(len(few)):
        page = manager_client.get(reverse("manage:import"))
    assert page.content.count(b"program-") >= 10
