"""Flask extensions, created unbound and initialised by the app factory."""

from flask_limiter import Limiter

from api.auth import client_identity
from api.errors import PrePostApi

api = PrePostApi()
# No storage_uri argument: it would override RATELIMIT_STORAGE_URI from the app config.
limiter = Limiter(key_func=client_identity)
