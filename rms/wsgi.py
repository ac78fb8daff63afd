"""
WSGI config for rms project.

It exposes the WSGI callable as a module-level variable named ``application``.

For more information on this file, see
https://docs.djangoproject.com/en/5.2/howto/deployment/wsgi/
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rms.settings")

application = get_wsgi_application()

# Each web process loads the published search index as it starts (matching/loaded.py).
from matching.loaded import warm_in_background  # noqa: E402

warm_in_background()
