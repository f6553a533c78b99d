"""WSGI entry point of the load benchmark (sigap plus the bare endpoint)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "load_settings")
application = get_wsgi_application()
