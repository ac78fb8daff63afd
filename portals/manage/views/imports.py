"""The spreadsheet import: upload and dry run, the job's page (summary, errors by row and column,
the Import button), and its progress partial polled by htmx while a large file imports in the
background. Only the uploader sees a job (another's is a 404). Work is in
integrations.spreadsheets.jobs."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from core.errors import DomainError
from core.permissions import role_required
from core.roles import Role
from integrations.models import ImportJob
from integrations.spreadsheets.columns import COLUMNS, template_csv
from integrations.spreadsheets.jobs import import_job_check, import_job_progress, import_job_start
from portals.manage.import_forms import ImportUploadForm

RECENT = 10


def _job(request: HttpRequest, pk: int) -> ImportJob:
    return get_object_or_404(ImportJob.objects.filter(user=request.user).defer("content"), pk=pk)


@role_required(Role.MANAGER)
def import_upload(request: HttpRequest) -> HttpResponse:
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                job = import_job_check(user=request.user, filename=upload.name, data=upload.read())
            except DomainError as error:
                form.add_domain_error(error)
            else:
                return redirect("manage:import-job", job.pk)
        status = 400
    recent = ImportJob.objects.filter(user=request.user).defer("content")[:RECENT]
    context = {"form": form, "columns": COLUMNS, "recent": recent, "section": "import"}
    return render(request, "portals/manage/import.html", context, status=status)


@role_required(Role.MANAGER)
def import_template(request: HttpRequest) -> HttpResponse:
    return HttpResponse(
        template_csv(),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="rms-import-template.csv"'},
    )


@role_required(Role.MANAGER)
def import_job(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    context = {"job": job, "progress": import_job_progress(job), "section": "import"}
    return render(request, "portals/manage/import_job.html", context)


@role_required(Role.MANAGER)
@require_POST
def import_job_run(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    try:
        job = import_job_start(job=job)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("manage:import-job", pk)
    if job is not None and job.status == ImportJob.Status.DONE:
        messages.success(request, "The file is imported.")
    return redirect("manage:import-job", pk)


@role_required(Role.MANAGER)
def import_job_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress bar (while running; htmx polls it every second) or the result."""
    job = _job(request, pk)
    context = {"job": job, "progress": import_job_progress(job)}
    return render(request, "portals/manage/_import_status.html", context)
