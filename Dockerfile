# One image for web, worker and beat (docker-compose.yml picks the command).
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 RMS_VAR_DIR=/app/var STATIC_ROOT=/app/staticfiles
WORKDIR /app
COPY pyproject.toml README.md ./
# gettext compiles the translations (locale/*.po → .mo, not kept in git).
RUN apt-get update && apt-get install -y --no-install-recommends gettext && rm -rf /var/lib/apt/lists/* \
    && pip install --no-cache-dir . && useradd --create-home rms
COPY . .
RUN SECRET_KEY=build-only python manage.py collectstatic --no-input \
    && SECRET_KEY=build-only python manage.py compilemessages --ignore=.venv --ignore=var \
    && mkdir -p var && chown -R rms /app/var
USER rms
EXPOSE 8000
CMD ["gunicorn", "rms.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-", "--logger-class", "rms.gunicorn_logging.RedactingLogger"]
