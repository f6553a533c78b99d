"""WSGI entry point for production servers.

The keys are checked first (sigap.keys.require): a server without them refuses to start, with
a message naming what is missing, instead of answering with errors later.
"""

import os

from django.core.wsgi import get_wsgi_application

from sigap import keys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sigap.settings")
application = get_wsgi_application()
keys.require()  # after the settings, which fill them from the demo file when DEBUG is on
