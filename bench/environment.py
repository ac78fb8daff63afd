"""The app as production runs it, on this machine: what bench/search.py and bench/load.py measure.

DEBUG off (no query log, cached templates, hashed static files), a SECRET_KEY for the run and the
hosts the benchmarks call. HTTPS is what a proxy in front says (`X-Forwarded-Proto: https`, or
`secure=True` for the test client), so the security settings stay production's own.
`configure()` sets this environment for the current process and any server it starts (gunicorn
must share the SECRET_KEY: it signs the session the benchmark signs in with), collects the static
files once into var/bench-static/ and sets Django up.
"""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STATIC_ROOT = ROOT / "var" / "bench-static"
HOST = "127.0.0.1"
# What a TLS-terminating proxy adds (settings.SECURE_PROXY_SSL_HEADER).
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}


def production_settings() -> dict[str, str]:
    return {
        "DJANGO_SETTINGS_MODULE": "rms.settings",
        "DEBUG": "0",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or f"bench-{secrets.token_urlsafe(40)}",
        "ALLOWED_HOSTS": f"{HOST},localhost,testserver",
        "STATIC_ROOT": str(STATIC_ROOT),
    }


def configure() -> None:
    os.environ.update(production_settings())
    sys.path.insert(0, str(ROOT))
    # Hashed names for the templates' {% static %} (CompressedManifestStaticFilesStorage).
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "collectstatic", "--no-input", "-v", "0"],
        check=True,
        cwd=ROOT,
    )
    import django

    django.setup()
