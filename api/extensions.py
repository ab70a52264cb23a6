"""Flask extensions, created unbound and initialised by the app factory."""

from api.errors import PrePostApi

api = PrePostApi()
