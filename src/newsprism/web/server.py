"""Running the web app with uvicorn, refusing to expose it without a token."""

from __future__ import annotations

import ipaddress
import os
import re
from collections.abc import Sequence
from pathlib import Path

from newsprism.errors import InputError
from newsprism.web.security import AllowedHosts, token_problem

ENV_TOKEN = "NEWSPRISM_TOKEN"
_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?", re.I)


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
    if token is not None and (problem := token_problem(token)):
        raise InputError(problem, where="--token", hint=f"or set {ENV_TOKEN}")
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


def allowed_hosts(host: str, names: Sequence[str] = ()) -> AllowedHosts:
    """The ``Host`` names a server bound to ``host`` answers to, plus ``names`` (each checked)."""
    for name in names:
        if not _is_host_name(name):
            raise InputError(
                f"{name[:100]!r} is not a host name",
                where="--allowed-host",
                hint="give a name such as news.example.org or an IP address, without a port",
            )
    return AllowedHosts.for_binding(host, names)


def _is_host_name(name: str) -> bool:
    """A DNS name (labels of letters, digits and hyphens) or an IP address, without a port."""
    if 0 < len(name) <= 253 and all(_LABEL.fullmatch(part) for part in name.split(".")):
        return True
    try:
        ipaddress.ip_address(name.strip("[]"))
    except ValueError:
        return False
    return True


def serve(
    db: str | Path | None,
    host: str = "127.0.0.1",
    port: int = 8000,
    token: str | None = None,
    private: bool = False,
    extra_hosts: Sequence[str] = (),
) -> None:
    """Serve the web app until interrupted. ``token`` defaults to $NEWSPRISM_TOKEN; requests
    must name ``host`` (or, on loopback, localhost) or one of ``extra_hosts`` in ``Host``."""
    import uvicorn

    from newsprism.web.app import create_app

    token = token or os.environ.get(ENV_TOKEN) or None
    check_binding(host, token, private)
    hosts = allowed_hosts(host, extra_hosts)
    app = create_app(db, token=token, private=private, allowed_hosts=hosts)
    uvicorn.run(app, host=host, port=port, log_level="info", server_header=False)
