"""Running the import commands as a user would, and counting what is stored."""

import os
import subprocess
import sys
from pathlib import Path

from config.worker_process import database_url
from creators.models import Creator, FollowerSnapshot, Niche, Post, SocialAccount

HEADER = "name,email,country,niches,platform,handle,followers,following,profile_url"
POSTS_HEADER = "platform,handle,posted_at,likes,comments,shares,saves,views,url"


def write(tmp_path: Path, text: str, name: str = "file.csv", *, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def stored() -> dict[str, int]:
    """How many rows of each kind are stored: the all-or-nothing promise is checked with this."""
    return {
        "creators": Creator.objects.count(),
        "accounts": SocialAccount.objects.count(),
        "niches": Niche.objects.count(),
        "posts": Post.objects.count(),
        "snapshots": FollowerSnapshot.objects.count(),
    }


def run(*args: str) -> subprocess.CompletedProcess:
    """A management command in its own process, on the test database (for the exit code and stderr a user sees)."""
    env = {**os.environ, "DATABASE_URL": database_url()}
    return subprocess.run([sys.executable, "manage.py", *args], capture_output=True, text=True, timeout=120, env=env)


def call_import(command: str, tmp_path: Path, text: str, capsys) -> tuple[int, str, str]:
    """Run an import command in-process on ``text``; return (exit code, stdout, stderr)."""
    from django.core.management import CommandError, call_command

    path = write(tmp_path, text)
    try:
        call_command(command, str(path))
        code = 0
    except CommandError as error:  # what manage.py prints to stderr before exiting 1
        code = error.returncode
        print(error, file=sys.stderr)
    out, err = capsys.readouterr()
    return code, out, err
