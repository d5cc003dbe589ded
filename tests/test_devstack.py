"""make run's embedded SQLite database reads while a worker writes (write-ahead logging)."""

import sqlite3

from config.devstack import sqlite_write_ahead_log


def test_the_embedded_database_is_put_in_write_ahead_log_mode(tmp_path):
    path = tmp_path / "db.sqlite3"
    sqlite3.connect(path).close()
    sqlite_write_ahead_log(f"sqlite:///{path}")
    assert sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_another_database_is_left_alone(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    sqlite_write_ahead_log("postgres://postgres@127.0.0.1:5432/microreach")
    sqlite_write_ahead_log("")  # the default file does not exist here: not created
    assert not (tmp_path / "db.sqlite3").exists()
