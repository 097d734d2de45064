"""Running the web app with uvicorn, refusing to expose it without a token."""

from __future__ import annotations

import ipaddress
import os
from pathlib import Path

from newsprism.errors import InputError

ENV_TOKEN = "NEWSPRISM_TOKEN"


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and "localhost": addresses only this machine can reach."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_binding(host: str, token: str | None, private: bool) -> None:
    """Raise a readable error for a binding that would expose data-changing actions openly."""
    if private and not token:
        raise InputError(
            "--private needs a token",
            where=host,
            hint=f"give --token or set {ENV_TOKEN}",
        )
    if not is_loopback(host) and not token:
        raise InputError(
            f"refusing to serve on {host} without an access token: anyone who can reach this "
            "address could add articles",
            where=host,
            hint=f"give --token (or set {ENV_TOKEN}), add --private to close reading too, or "
            "bind to 127.0.0.1",
        )


def serve(
    db: str | Path | None,
    host: str = "127.0.0.1",
    port: int = 8000,
    token: str | None = None,
    private: bool = False,
) -> None:
    """Serve the web app until interrupted. ``token`` defaults to $NEWSPRISM_TOKEN."""
    import uvicorn

    from newsprism.web.app import create_app

    token = token or os.environ.get(ENV_TOKEN) or None
    check_binding(host, token, private)
    app = create_app(db, token=token, private=private)
    uvicorn.run(app, host=host, port=port, log_level="info", server_header=False)
