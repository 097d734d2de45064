"""The web app: FastAPI + Jinja pages over the store, a JSON API, and ingest from the browser.

``create_app(db)`` builds the application; ``serve(db)`` runs it with uvicorn, on 127.0.0.1
unless told otherwise (and then only with an access token).
"""

from newsprism.web.app import create_app
from newsprism.web.server import serve

__all__ = ["create_app", "serve"]
