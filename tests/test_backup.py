"""`shortbreaks backup` and `restore` round-trip the demo database and its uploads, on whichever
database the suite runs on."""

import tarfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError

from shortbreaks.core.backup import row_counts
from shortbreaks.demo.directory import load_demo
from shortbreaks.directory.models import CostOption, ListingChange, Service, StrategyDocument

pytestmark = pytest.mark.django_db(transaction=True)


def snapshot():
    return {
        "counts": row_counts(),
        "services": sorted(Service.objects.values_list("pk", "name", "capacity", "updated_at")),
        "changes": sorted((str(c.pk), c.proposed["name"]) for c in ListingChange.objects.all()),
    }


def test_backup_and_restore_round_trip_the_demo(taxonomies, tmp_path, storage_backend):
    """On either file store: local files, or an S3 bucket (moto's server)."""
    load_demo(seed=3, scale=1)
    document = StrategyDocument.objects.get()
    original_file = document.file.read()
    stored = {name: storage_backend.read(name) for name in storage_backend.names()}
    assert stored  # the demo's strategy document, evidence and the rest
    before = snapshot()
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", str(archive))

    # Lose and change things after the backup: a row, a file, and a file the backup never had.
    CostOption.objects.all().delete()
    Service.objects.update(name="Renamed")
    document.file.delete(save=False)
    default_storage.save("stray/after-the-backup.txt", ContentFile(b"not in the backup"))

    call_command("restore", str(archive), "--yes")
    assert snapshot() == before
    assert StrategyDocument.objects.get().file.read() == original_file
    assert {name: storage_backend.read(name) for name in storage_backend.names()} == stored


def test_a_broken_archive_changes_nothing(taxonomies, tmp_path, organisation):
    broken = tmp_path / "broken.tar.gz"
    broken.write_bytes(b"not a backup")
    before = row_counts()
    with pytest.raises(CommandError, match="not a readable backup"):
        call_command("restore", str(broken), "--yes")
    assert row_counts() == before


def test_an_archive_without_a_manifest_is_refused(taxonomies, tmp_path):
    empty = tmp_path / "empty.tar.gz"
    with tarfile.open(empty, "w:gz"):
        pass
    with pytest.raises(CommandError, match="not a Shortbreaks backup"):
        call_command("restore", str(empty), "--yes")
