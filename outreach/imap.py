"""Replies by polling a mailbox (``INBOUND_IMAP_URL``, e.g. ``imaps://user:password@imap.example.com/INBOX``): each
unseen message is taken in as the inbound endpoint takes one, then marked seen, whatever came of it (an unknown
thread is logged and left there, never attached anywhere)."""

import imaplib
import logging

from django.conf import settings

from config.mailbox import mailbox

from . import services

log = logging.getLogger(__name__)


def poll(url: str | None = None, *, timeout: float = 30) -> dict[str, int]:
    """Take in the mailbox's unseen messages; return how many were replies and how many were not."""
    url = url if url is not None else settings.INBOUND_IMAP_URL
    if not url:
        return {"replies": 0, "unknown": 0}
    box = mailbox(url)
    client_class = imaplib.IMAP4_SSL if box.secure else imaplib.IMAP4
    counts = {"replies": 0, "unknown": 0}
    with client_class(box.host, box.port, timeout=timeout) as client:
        client.login(box.user, box.password)
        client.select(box.folder)
        _, found = client.search(None, "UNSEEN")
        for number in found[0].split():
            _, data = client.fetch(number, "(RFC822)")
            raw = next((part[1] for part in data if isinstance(part, tuple)), b"")
            try:
                services.inbound(raw)
                counts["replies"] += 1
            except services.UnknownReply as unknown:
                log.warning("IMAP message %s not taken in: %s", number.decode(), unknown)
                counts["unknown"] += 1
            client.store(number, "+FLAGS", "\\Seen")
    return counts
