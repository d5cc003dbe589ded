"""A stand-in IMAP4rev1 server for the tests (plain TCP): one user, one INBOX, just the commands a poller needs
(CAPABILITY, LOGIN, SELECT, SEARCH UNSEEN, FETCH RFC822, STORE +FLAGS \\Seen, LOGOUT), answered as RFC 3501 shows."""

import socketserver
import threading


class Mailbox:
    def __init__(self, user: str, password: str) -> None:
        self.user, self.password = user, password
        self.messages: list[bytes] = []
        self.seen: set[int] = set()
        self.logins = 0


def _args(line: str) -> list[str]:
    return [part.strip('"') for part in line.split(" ")]


class _Handler(socketserver.StreamRequestHandler):
    def send(self, text: str | bytes) -> None:
        self.wfile.write(text if isinstance(text, bytes) else text.encode())

    def handle(self) -> None:
        box: Mailbox = self.server.mailbox
        self.send("* OK IMAP4rev1 stand-in ready\r\n")
        while line := self.rfile.readline().decode().rstrip("\r\n"):
            tag, _, rest = line.partition(" ")
            command, _, argument = rest.partition(" ")
            command = command.upper()
            if command == "CAPABILITY":
                self.send(f"* CAPABILITY IMAP4rev1\r\n{tag} OK CAPABILITY completed\r\n")
            elif command == "LOGIN":
                user, password = _args(argument)[:2]
                if (user, password) == (box.user, box.password):
                    box.logins += 1
                    self.send(f"{tag} OK LOGIN completed\r\n")
                else:
                    self.send(f"{tag} NO [AUTHENTICATIONFAILED] Invalid credentials\r\n")
            elif command == "SELECT":
                self.send(f"* {len(box.messages)} EXISTS\r\n* OK [UIDVALIDITY 1] UIDs valid\r\n")
                self.send(f"{tag} OK [READ-WRITE] SELECT completed\r\n")
            elif command == "SEARCH":
                unseen = [str(n) for n in range(1, len(box.messages) + 1) if n not in box.seen]
                self.send(
                    f"* SEARCH {' '.join(unseen)}\r\n{tag} OK SEARCH completed\r\n".replace("SEARCH \r", "SEARCH\r")
                )
            elif command == "FETCH":
                number = int(argument.split(" ")[0])
                raw = box.messages[number - 1]
                self.send(f"* {number} FETCH (RFC822 {{{len(raw)}}}\r\n".encode() + raw + b")\r\n")
                self.send(f"{tag} OK FETCH completed\r\n")
            elif command == "STORE":
                number = int(argument.split(" ")[0])
                box.seen.add(number)
                self.send(f"* {number} FETCH (FLAGS (\\Seen))\r\n{tag} OK STORE completed\r\n")
            elif command == "LOGOUT":
                self.send(f"* BYE logging out\r\n{tag} OK LOGOUT completed\r\n")
                return
            else:
                self.send(f"{tag} BAD unknown command\r\n")


class ImapStandin:
    def __init__(self, user: str = "replies", password: str = "secret") -> None:
        self.mailbox = Mailbox(user, password)
        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Handler)
        self.server.daemon_threads = True
        self.server.mailbox = self.mailbox
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"imap://{self.mailbox.user}:{self.mailbox.password}@127.0.0.1:{self.server.server_address[1]}/INBOX"

    def __enter__(self) -> "ImapStandin":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
