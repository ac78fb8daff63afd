"""The spreadsheet import in the browser: a manager uploads a file above the background
threshold, the dry run says what it would write, Import queues it, the page polls (htmx) a
progress bar while the worker imports, and the bar reaches 100 % with the result."""

import pytest
from celery import current_app
from playwright.sync_api import expect

import integrations.tasks  # noqa: F401 - the worker's task: the import itself
from core.roles import Role
from integrations.models import ImportJob
from references.models import Account, Contact
from tests.browser.conftest import login
from tests.builders import catalogue as factories
from tests.customers.broker import published
from tests.integrations.sheets import program_rows, xlsx_bytes

pytestmark = pytest.mark.browser


def work_off(broker) -> list[str]:
    """Run the messages waiting on the default queue, as the worker would; their task names."""
    messages = published(broker, "celery")
    for name, args in messages:
        current_app.tasks[name](*args)
    return [name for name, _args in messages]


def test_a_large_file_imports_in_the_background_with_a_progress_bar(page, broker, settings, tmp_path):
    settings.IMPORT_BACKGROUND_ROWS = 20
    factories.make_user("maria", Role.MANAGER, first_name="Maria", last_name="Manager")
    spreadsheet = tmp_path / "program.xlsx"
    spreadsheet.write_bytes(xlsx_bytes(program_rows(60, accounts=15)))

    login(page, "maria")
    page.goto("/manage/")
    page.get_by_role("link", name="Import", exact=True).click()
    page.set_input_files("input[name=file]", str(spreadsheet))
    page.get_by_role("button", name="Check the file (dry run)").click()
    expect(page.locator("[data-status=checking]")).to_be_visible()  # a large file: checked by the worker
    work_off(broker)
    expect(page.get_by_text("Dry run: nothing is written yet.")).to_be_visible()
    assert not Contact.objects.exists()

    page.get_by_role("button", name="Import", exact=True).click()
    bar = page.locator("progress#import-progress")
    expect(bar).to_be_visible()
    expect(page.locator("[data-status=queued]")).to_be_visible()
    assert ImportJob.objects.get().status == ImportJob.Status.QUEUED

    # The worker takes the message off its queue; the page, polling every second, follows.
    assert work_off(broker) == ["integrations.run_import"]

    expect(page.locator(".import-result")).to_be_visible()
    expect(bar).to_have_attribute("value", "100")
    expect(page.locator("[data-status=done]")).to_be_visible()
    assert (Account.objects.count(), Contact.objects.count()) == (15, 60)
    assert not page.js_errors
