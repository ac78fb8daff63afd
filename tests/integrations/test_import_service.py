"""The spreadsheet import's services: dry run, all-or-nothing import, matching, bad files."""

import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.errors import Conflict, InvalidInput
from integrations.models import ImportJob
from integrations.spreadsheets.jobs import (
    import_job_check,
    import_job_progress,
    import_job_run,
    import_job_start,
)
from references.models import Account, Contact, ParticipationPreferences
from tests.builders import catalogue as factories
from tests.integrations.sheets import csv_bytes, program_rows, xlsx_bytes

pytestmark = pytest.mark.django_db


def check(user, rows, *, xlsx=False, **kwargs) -> ImportJob:
    data = xlsx_bytes(rows, **kwargs) if xlsx else csv_bytes(rows, **kwargs)
    return import_job_check(user=user, filename="program.xlsx" if xlsx else "program.csv", data=data)


def imported(user, rows, **kwargs) -> ImportJob:
    job = check(user, rows, **kwargs)
    assert job.status == ImportJob.Status.CHECKED, job.errors
    return import_job_start(job=job)


def test_the_dry_run_counts_what_it_would_write_and_writes_nothing(manager):
    job = check(manager, program_rows(8, accounts=2))
    assert job.status == ImportJob.Status.CHECKED
    assert job.summary == {
        "accounts": {"new": 2, "updated": 0, "unchanged": 0},
        "contacts": {"new": 8, "updated": 0, "unchanged": 0},
    }
    assert not Account.objects.exists() and not Contact.objects.exists()


def test_the_import_writes_accounts_contacts_products_and_preferences(manager):
    job = imported(manager, program_rows(8, accounts=2))
    assert job.status == ImportJob.Status.DONE
    account = Account.objects.get(external_id="A-1")
    assert (
        account.name == "A Company 1"
        and account.owner == manager
        and account.size_band.name.startswith("Mid")
    )
    assert sorted(account.products.values_list("name", flat=True)) == [
        "Analytics Cloud",
        "Data Integration Hub",
    ]
    assert account.contacts.count() == 4
    contact = Contact.objects.get(external_id="A-C-5")
    assert (contact.account, contact.email, contact.persona.code) == (
        account,
        "pat5@a-company-1.test",
        "technical",
    )
    assert ParticipationPreferences.objects.count() == 8
    assert import_job_progress(job) == 100
    assert bytes(ImportJob.objects.get(pk=job.pk).content) == b""  # the file is not kept once imported


def test_importing_the_same_file_again_creates_no_duplicates(manager):
    imported(manager, program_rows(12, accounts=3))
    again = imported(manager, program_rows(12, accounts=3))
    assert again.summary == {
        "accounts": {"new": 0, "updated": 0, "unchanged": 3},
        "contacts": {"new": 0, "updated": 0, "unchanged": 12},
    }
    assert (Account.objects.count(), Contact.objects.count()) == (3, 12)


def test_a_file_with_three_bad_rows_writes_nothing_and_names_those_rows(manager):
    rows = program_rows(10, accounts=10)
    rows[2]["email"] = "not-an-email"  # row 4
    rows[5]["industry"] = "no such industry"  # row 7
    rows[8]["persona"] = ""  # row 10: required for a new contact
    job = check(manager, rows)
    assert job.status == ImportJob.Status.INVALID
    assert [(e["row"], e["column"]) for e in job.errors] == [(4, "email"), (7, "industry"), (10, "persona")]
    with pytest.raises(Conflict):  # the page shows no Import button; the service refuses too
        import_job_start(job=job)
    assert not Account.objects.exists() and not Contact.objects.exists()


def test_accounts_match_by_external_id_then_by_name_ignoring_case(manager, account_owner):
    by_id = factories.make_account(account_owner, name="Old name", external_id="A-0")
    by_name = factories.make_account(account_owner, name="A Company 1")
    rows = program_rows(2, accounts=2)
    rows[1]["account_name"] = "a company 1"
    rows[1]["account_external_id"] = rows[1]["products"] = rows[1]["size_band"] = ""
    job = imported(manager, rows)
    assert job.summary["accounts"] == {"new": 0, "updated": 1, "unchanged": 1}
    by_id.refresh_from_db()
    assert by_id.name == "A Company 0" and by_id.owner == account_owner
    by_name.refresh_from_db()
    assert by_name.name == "A Company 1" and by_name.external_id is None
    assert Account.objects.count() == 2 and by_name.contacts.count() == 1


def test_contacts_match_by_external_id_then_by_email_within_the_account(manager, account_owner):
    account = factories.make_account(account_owner, name="A Company 0", external_id="A-0")
    by_id = factories.make_contact(account, external_id="A-C-0", first_name="Old")
    by_email = factories.make_contact(account, email="PAT1@a-company-0.test")
    job = imported(manager, program_rows(2, accounts=1))
    assert job.summary["contacts"] == {"new": 0, "updated": 2, "unchanged": 0}
    by_id.refresh_from_db()
    by_email.refresh_from_db()
    assert by_id.first_name == "Pat" and by_email.external_id == "A-C-1"
    assert Contact.objects.count() == 2


def test_an_email_another_contact_of_the_account_has_is_a_row_error_in_the_dry_run(manager, account_owner):
    """A contact matched by external id, given the email of another contact of its account: the
    dry run says so (the import would otherwise fail on the database's unique email)."""
    account = factories.make_account(account_owner, name="A Company 0", external_id="A-0")
    moved = factories.make_contact(account, external_id="A-C-0", email="old@a-company-0.test")
    factories.make_contact(account, external_id="X-9", email="pat0@a-company-0.test")
    job = check(manager, program_rows(1))
    assert [(e["row"], e["column"]) for e in job.errors] == [(2, "email")]
    moved.refresh_from_db()
    assert moved.email == "old@a-company-0.test"


def test_a_contact_found_by_email_at_another_account_is_refused_not_moved(manager, account_owner):
    elsewhere = factories.make_contact(factories.make_account(account_owner), email="pat0@a-company-0.test")
    job = check(manager, program_rows(1))
    assert [(e["row"], e["column"]) for e in job.errors] == [(2, "email")]
    assert elsewhere.account.name in job.errors[0]["message"]


def test_an_existing_accounts_owner_changes_only_on_its_page(manager, account_owner, sales_rep):
    factories.make_account(account_owner, name="A Company 0", external_id="A-0")
    rows = program_rows(1)
    rows[0]["owner_email"] = sales_rep.email
    job = check(manager, rows)
    assert [(e["row"], e["column"]) for e in job.errors] == [(2, "owner_email")]


def test_rows_with_only_account_columns_add_accounts(manager):
    rows = [{"account_name": "Solo", "industry": "52", "country": "de", "size_band": "Enterprise"}]
    job = imported(manager, rows)
    assert job.summary["accounts"]["new"] == 1 and Account.objects.get(name="Solo").country.code == "DE"


def test_xlsx_formulas_and_dates_are_row_errors(manager):
    from datetime import datetime

    rows = program_rows(3, accounts=3)
    rows[0]["title"] = '=HYPERLINK("http://x")'
    rows[2]["phone"] = datetime(2026, 1, 1)
    job = check(manager, rows, xlsx=True)
    assert [(e["row"], e["column"]) for e in job.errors] == [(2, "title"), (4, "phone")]


def _damaged_xlsx(part: str) -> bytes:
    """A real XLSX whose `part` is broken XML."""
    import io
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(xlsx_bytes(program_rows(2))))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as damaged:
        for name in source.namelist():
            damaged.writestr(name, b"<broken" if name == part else source.read(name))
    return out.getvalue()


# A damaged XLSX holds the moment it was written: named cases keep the ids the same for every
# pytest-xdist worker, whose collections must match.
REFUSED_FILES = [
    ("program.xlsx", _damaged_xlsx("xl/worksheets/sheet1.xml"), "cannot be read"),
    ("program.xlsx", _damaged_xlsx("xl/workbook.xml"), "cannot be read"),
    ("program.txt", b"account_name\nX\n", "Upload a .csv or .xlsx"),
    ("program.csv", b"", "empty"),
    ("program.csv", b"account_name,industry\n", "no rows"),
    ("program.csv", b"industry\n52\n", "Missing required column"),
    ("program.csv", b"account_name,colour\nX,red\n", "Unknown column"),
    ("program.csv", b"account_name,Account_Name\nX,Y\n", "twice"),
    ("program.csv", b"PK\x03\x04binary", "not a CSV"),
    ("program.csv", "account_name\nCafé\n".encode("latin-1"), "UTF-8"),
    ("program.xlsx", b"account_name\nX\n", "not an XLSX"),
    ("program.xlsx", b"PK\x03\x04garbage", "cannot be read"),
]


@pytest.mark.parametrize(
    ("filename", "data", "says"),
    REFUSED_FILES,
    ids=[f"{index}-{name}-{says}" for index, (name, _data, says) in enumerate(REFUSED_FILES)],
)
def test_a_file_that_is_not_a_program_spreadsheet_is_refused(manager, filename, data, says):
    with pytest.raises(InvalidInput, match=says) as refused:
        import_job_check(user=manager, filename=filename, data=data)
    assert refused.value.field == "file"
    assert not ImportJob.objects.exists()


def test_too_many_rows_are_refused(manager, settings):
    settings.IMPORT_MAX_ROWS = 5
    with pytest.raises(InvalidInput, match="more than 5 rows"):
        import_job_check(user=manager, filename="p.csv", data=csv_bytes(program_rows(6)))


def test_a_large_file_is_checked_and_imported_by_the_worker(
    manager, settings, monkeypatch, django_capture_on_commit_callbacks
):
    from integrations import tasks

    settings.IMPORT_BACKGROUND_ROWS = 5
    sent = []
    for task in (tasks.check_import, tasks.run_import):
        monkeypatch.setattr(task, "delay", lambda job_id, name=task.name: sent.append((name, job_id)))
    with django_capture_on_commit_callbacks(execute=True):
        job = check(manager, program_rows(8))
    assert job.status == ImportJob.Status.CHECKING and sent == [("integrations.check_import", job.pk)]
    assert tasks.check_import(job.pk) == ImportJob.Status.CHECKED
    assert tasks.check_import(job.pk) is None  # a redelivered message checks nothing twice
    job.refresh_from_db()
    assert job.total_rows == 8 and job.summary["contacts"]["new"] == 8
    with django_capture_on_commit_callbacks(execute=True):
        queued = import_job_start(job=job)
    assert queued.status == ImportJob.Status.QUEUED and sent[-1] == ("integrations.run_import", job.pk)
    assert not Contact.objects.exists()
    assert tasks.run_import(job.pk) == ImportJob.Status.DONE
    assert tasks.run_import(job.pk) is None  # a redelivered message imports nothing twice
    assert Contact.objects.count() == 8


def test_a_large_file_with_a_bad_header_is_refused_at_once(manager, settings):
    settings.IMPORT_BACKGROUND_ROWS = 5
    with pytest.raises(InvalidInput, match="Unknown column"):
        import_job_check(user=manager, filename="p.csv", data=b"account_name,colour\n" + b"X,red\n" * 10)


def test_a_large_xlsx_has_its_rows_counted_without_reading_its_cells(manager):
    from integrations.spreadsheets.reading import sheet_peek

    assert sheet_peek(filename="p.xlsx", data=xlsx_bytes(program_rows(30))) == 31


def test_a_ten_thousand_row_xlsx_imports_in_one_go(manager, settings):
    settings.IMPORT_BACKGROUND_ROWS = 20_000  # checked and imported here, in this process
    rows = program_rows(10_000, accounts=2_500)
    job = check(manager, rows, xlsx=True)
    assert job.status == ImportJob.Status.CHECKED, job.errors[:3]
    started = time.monotonic()
    with CaptureQueriesContext(connection) as queries:
        done = import_job_run(job_id=job.pk, claim_from=ImportJob.Status.CHECKED)
    assert done.status == ImportJob.Status.DONE
    assert time.monotonic() - started < 60
    assert len(queries) < 200  # batches of 1,000, not a query per row
    assert (Account.objects.count(), Contact.objects.count()) == (2_500, 10_000)


def test_a_semicolon_csv_is_read_and_products_keep_their_semicolons(manager):
    data = (
        b"account_name;industry;country;size_band;products\n"
        b'Semi Co;52;US;Mid-market;"Analytics Cloud; Data Integration Hub"\n'
    )
    job = import_job_check(user=manager, filename="semi.csv", data=data)
    assert job.status == ImportJob.Status.CHECKED, job.errors
    import_job_start(job=job)
    assert Account.objects.get(name="Semi Co").products.count() == 2


def test_a_job_left_running_by_a_dead_worker_is_claimed_again_after_the_time_limit(manager, settings):
    from datetime import timedelta

    from django.utils import timezone

    from integrations import tasks

    job = check(manager, program_rows(4))
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING, started_at=timezone.now())
    assert tasks.run_import(job.pk) is None  # still running somewhere: left alone
    long_ago = timezone.now() - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 1)
    ImportJob.objects.filter(pk=job.pk).update(started_at=long_ago)
    assert tasks.run_import(job.pk) == ImportJob.Status.DONE
    assert Contact.objects.count() == 4


def test_a_worker_that_stops_on_an_unexpected_error_leaves_the_job_failed_not_running(
    manager, settings, monkeypatch
):
    """A time limit or a bug ends the task: the page stops waiting (failed, 100 %), nothing written."""
    from celery.exceptions import SoftTimeLimitExceeded

    from integrations import tasks
    from integrations.spreadsheets import jobs

    settings.IMPORT_BACKGROUND_ROWS = 2
    job = check(manager, program_rows(4))
    assert tasks.check_import(job.pk) == ImportJob.Status.CHECKED
    job.refresh_from_db()
    import_job_start(job=job)

    def too_long(plan, progress=None):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(jobs, "plan_write", too_long)
    with pytest.raises(SoftTimeLimitExceeded):
        tasks.run_import(job.pk)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED and job.finished_at is not None
    assert import_job_progress(job) == 100
    assert not Contact.objects.exists()

    monkeypatch.setattr(jobs, "plan_import", lambda *args, **kwargs: 1 / 0)
    stuck = check(manager, program_rows(4))
    with pytest.raises(ZeroDivisionError):
        tasks.check_import(stuck.pk)
    stuck.refresh_from_db()
    assert stuck.status == ImportJob.Status.FAILED and not stuck.is_running


def test_an_infinite_number_in_an_xlsx_cell_is_a_row_error_not_a_crash(manager):
    import io
    import re
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(xlsx_bytes(program_rows(2))))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as crafted:
        for name in source.namelist():
            data = source.read(name)
            if name == "xl/worksheets/sheet1.xml":  # row 2's title: 1E999, a float infinity
                data = re.sub(rb'<c r="M2".*?</c>', b'<c r="M2" t="n"><v>1E999</v></c>', data, count=1)
            crafted.writestr(name, data)
    job = import_job_check(user=manager, filename="program.xlsx", data=out.getvalue())
    assert [(e["row"], e["column"]) for e in job.errors] == [(2, "title")]


def test_a_large_csv_with_mac_line_endings_is_checked_by_the_worker(manager, settings):
    """A CSV whose lines end with a lone \r ("CSV (Macintosh)") is counted as many rows, so its dry
    run goes to the worker rather than holding up the request."""
    settings.IMPORT_BACKGROUND_ROWS = 5
    data = csv_bytes(program_rows(8)).replace(b"\r\n", b"\r").replace(b"\n", b"\r")
    job = import_job_check(user=manager, filename="mac.csv", data=data)
    assert job.status == ImportJob.Status.CHECKING
