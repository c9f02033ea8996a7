"""The test suite's authenticator: fixed passwords from a root-only file. Never the default.

A course server authenticates with PAM (each person's system password). The browser test
and the load test need to log in as accounts they create, without PAM's per-machine set-up,
so ``MLSD_HUB_TEST_PASSWORDS`` names a JSON file ``{"user": "password"}`` that this class
checks instead. It is refused unless:

- the hub listens on a loopback address only (checked by :class:`HubSettings` and again here),
- the file belongs to root and nobody else can read or write it (mode 0600 or stricter).

Everything else is the same as in a real hub: the user must be a system user in one of the
course's groups (``LocalAuthenticator.allowed_groups``), and the server runs as that user.
"""

from __future__ import annotations

import hmac
import ipaddress
import json
import os
import stat

from jupyterhub.auth import LocalAuthenticator
from traitlets import Unicode


def read_passwords(path: str) -> dict[str, str]:
    info = os.stat(path)
    if info.st_uid != 0 or info.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise ValueError(
            f"test passwords file {path} must belong to root with mode 0600; it has uid "
            f"{info.st_uid} and mode {stat.filemode(info.st_mode)}."
        )
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    if not isinstance(data, dict) or not all(
        isinstance(k, str) and isinstance(v, str) and v for k, v in data.items()
    ):
        raise ValueError(f"test passwords file {path} must map user names to non-empty strings.")
    return data


class FixedPasswordAuthenticator(LocalAuthenticator):
    """Accepts the password the test suite fixed for a user; loopback hubs only."""

    passwords_file = Unicode(
        help="JSON file {user: password}, owned by root, mode 0600 (test suite only)"
    ).tag(config=True)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        ip = os.environ.get("MLSD_HUB_IP", "127.0.0.1")
        if not ipaddress.ip_address(ip).is_loopback:
            raise ValueError(f"fixed test passwords are refused on a non-loopback hub ({ip}).")
        self._passwords = read_passwords(self.passwords_file)

    async def authenticate(self, handler, data):
        name = self.normalize_username(data.get("username", ""))
        expected = self._passwords.get(name)
        given = data.get("password", "")
        if expected is not None and hmac.compare_digest(expected.encode(), given.encode()):
            return name
        return None
