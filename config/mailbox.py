"""The IMAP mailbox replies are polled from (``INBOUND_IMAP_URL``, e.g. ``imaps://user:password@host/INBOX``).
Plain Python, no Django: the settings check the URL at start-up with it (a wrong one stops the app with a clear
message, as ``EMAIL_URL`` does) and ``outreach.imap`` connects with it."""

from dataclasses import dataclass
from urllib.parse import unquote, urlsplit


@dataclass(frozen=True)
class Mailbox:
    secure: bool
    host: str
    port: int
    user: str
    password: str
    folder: str


def mailbox(url: str) -> Mailbox:
    """The mailbox ``url`` names; ValueError when it is not an imap:// or imaps:// URL with a host."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        port, parts = None, None
    if parts is None or parts.scheme not in ("imap", "imaps") or not parts.hostname:
        raise ValueError("INBOUND_IMAP_URL must look like imaps://user:password@host/INBOX")
    secure = parts.scheme == "imaps"
    return Mailbox(
        secure=secure,
        host=parts.hostname,
        port=port or (993 if secure else 143),
        user=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
        folder=unquote(parts.path.lstrip("/")) or "INBOX",
    )
