"""Backups a council can restore: one .tar.gz holding the database (pg_dump's custom format,
or a consistent SQLite copy), every stored file (read through Django's storage API, so local
files and an S3 bucket alike), and a manifest with row counts and each file's SHA-256 that
restore checks against."""

import datetime as dt
import hashlib
import io
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
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connection, connections

FORMAT = 2
READABLE_FORMATS = {1, 2}  # format 1 kept its files the same way, without their checksums


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


def stored_names(prefix: str = "") -> list[str]:
    """Every file in the default storage, by name (a local folder and a bucket alike)."""
    try:
        folders, files = default_storage.listdir(prefix)
    except FileNotFoundError:  # a local store nothing was ever saved to
        return []
    names = [f"{prefix}{name}" for name in files]
    for folder in folders:
        names += stored_names(f"{prefix}{folder}/")
    return sorted(names)


def _add_stored_files(archive: tarfile.TarFile) -> dict[str, str]:
    checksums = {}
    for name in stored_names():
        with default_storage.open(name, "rb") as stored:
            content = stored.read()
        checksums[name] = hashlib.sha256(content).hexdigest()
        entry = tarfile.TarInfo(f"media/{name}")
        entry.size, entry.mtime = len(content), int(dt.datetime.now(dt.UTC).timestamp())
        archive.addfile(entry, io.BytesIO(content))
    return checksums


def _restore_stored_files(saved: Path, checksums: dict[str, str] | None) -> None:
    """Replace every stored file with the backup's, under the same names."""
    for name in stored_names():
        default_storage.delete(name)
    for path in sorted(p for p in saved.rglob("*") if p.is_file()) if saved.exists() else []:
        name = path.relative_to(saved).as_posix()
        with path.open("rb") as content:
            kept = default_storage.save(name, File(content, name=name))
        if kept != name:
            raise BackupError(f"Restored {name} as {kept}: the file store renamed it")
    if checksums is not None:
        found = {}
        for name in stored_names():
            with default_storage.open(name, "rb") as stored:
                found[name] = hashlib.sha256(stored.read()).hexdigest()
        if found != checksums:
            raise BackupError("Restored, but the stored files differ from the backup's")


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
            manifest["files"] = _add_stored_files(archive)
            # The checksums go in a second manifest entry, written once the files are read.
            files = json.dumps(manifest["files"], indent=2).encode()
            entry = tarfile.TarInfo("files.json")
            entry.size = len(files)
            archive.addfile(entry, io.BytesIO(files))
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
        if manifest.get("format") not in READABLE_FORMATS:
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

        checksums = json.loads((work / "files.json").read_text()) if (work / "files.json").exists() else None
        _restore_stored_files(work / "media", checksums)

        counts = row_counts()
        different = {t: (n, counts.get(t)) for t, n in manifest["counts"].items() if counts.get(t) != n}
        if different:
            raise BackupError(f"Restored, but row counts differ from the backup: {different}")
    return manifest
