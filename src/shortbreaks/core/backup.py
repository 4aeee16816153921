"""Backups a council can restore: one .tar.gz holding the database (pg_dump's custom format,
or a consistent SQLite copy), the uploaded files, and a manifest with row counts that restore
checks against."""

import datetime as dt
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection, connections

FORMAT = 1


class BackupError(Exception):
    pass


def _pg_bin(name: str) -> str:
    for folder in (os.environ.get("PG_BIN"), "/usr/lib/postgresql/15/bin"):
        if folder and (Path(folder) / name).exists():
            return str(Path(folder) / name)
    found = shutil.which(name)
    if not found:
        raise BackupError(f"{name} is not installed (set PG_BIN to the folder that has it)")
    return found


def _pg_args() -> tuple[list[str], dict]:
    db = settings.DATABASES["default"]
    args = ["-h", db.get("HOST") or "localhost", "-p", str(db.get("PORT") or 5432), "-U", db.get("USER") or "postgres"]
    env = dict(os.environ, PGPASSWORD=db.get("PASSWORD") or "")
    return args, env


def row_counts() -> dict[str, int]:
    counts = {}
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            if model._meta.managed and not model._meta.proxy:
                table = model._meta.db_table
                cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
                counts[table] = cursor.fetchone()[0]
    return counts


def backup(destination: Path) -> dict:
    """Write a backup archive; returns its manifest."""
    engine = connection.vendor
    manifest = {
        "format": FORMAT,
        "engine": engine,
        "created_at": dt.datetime.now(dt.UTC).isoformat(),
        "counts": row_counts(),
    }
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        if engine == "postgresql":
            args, env = _pg_args()
            result = subprocess.run(
                [
                    _pg_bin("pg_dump"),
                    *args,
                    "-Fc",
                    "--no-owner",
                    "-f",
                    str(work / "database.dump"),
                    settings.DATABASES["default"]["NAME"],
                ],
                env=env,
                capture_output=True,
                text=True,
            )
            if result.returncode:
                raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
        elif engine == "sqlite":
            connection.ensure_connection()
            target = sqlite3.connect(work / "database.sqlite3")
            with target:
                connection.connection.backup(target)
            target.close()
        else:
            raise BackupError(f"Backups of {engine} databases are not supported")
        (work / "manifest.json").write_text(json.dumps(manifest, indent=2))
        destination.parent.mkdir(parents=True, exist_ok=True)
        partial = destination.with_name(destination.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(work / "manifest.json", arcname="manifest.json")
            name = "database.dump" if engine == "postgresql" else "database.sqlite3"
            archive.add(work / name, arcname=name)
            media = Path(settings.MEDIA_ROOT)
            if media.exists():
                archive.add(media, arcname="media")
        os.replace(partial, destination)  # never leave a half-written archive under the real name
    return manifest


def restore(source: Path) -> dict:
    """Replace the database and uploads with a backup's. The database is restored in one
    transaction (PostgreSQL) or one backup step (SQLite): a failure leaves it as it was."""
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        try:
            with tarfile.open(source, "r:gz") as archive:
                archive.extractall(work, filter="data")
        except (OSError, tarfile.TarError) as error:
            raise BackupError(f"{source} is not a readable backup: {error}") from None
        try:
            manifest = json.loads((work / "manifest.json").read_text())
        except (OSError, ValueError):
            raise BackupError(f"{source} has no manifest: it is not a Shortbreaks backup") from None
        if manifest.get("format") != FORMAT:
            raise BackupError(f"Backup format {manifest.get('format')} is not one this version can restore")
        engine = connection.vendor
        if manifest["engine"] != engine:
            raise BackupError(f"This is a {manifest['engine']} backup; the database here is {engine}")

        if engine == "postgresql":
            connections.close_all()
            args, env = _pg_args()
            result = subprocess.run(
                [
                    _pg_bin("pg_restore"),
                    *args,
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--single-transaction",
                    "--exit-on-error",
                    "-d",
                    settings.DATABASES["default"]["NAME"],
                    str(work / "database.dump"),
                ],
                env=env,
                capture_output=True,
                text=True,
            )
            if result.returncode:
                raise BackupError(f"pg_restore failed, nothing was changed: {result.stderr.strip()}")
        else:
            connection.ensure_connection()
            source_db = sqlite3.connect(work / "database.sqlite3")
            with source_db:
                source_db.backup(connection.connection)
            source_db.close()

        media, saved = Path(settings.MEDIA_ROOT), work / "media"
        if media.exists():
            shutil.rmtree(media)
        if saved.exists():
            shutil.copytree(saved, media)

        counts = row_counts()
        different = {t: (n, counts.get(t)) for t, n in manifest["counts"].items() if counts.get(t) != n}
        if different:
            raise BackupError(f"Restored, but row counts differ from the backup: {different}")
    return manifest
