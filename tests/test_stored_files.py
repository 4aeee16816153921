"""Stored files on either backend (tests/storage.py: local files and S3 through moto's server):
only through Django's storage API, private, kept only with their committed record and the
reverse, and a clear page, never a 500, when the store cannot be reached."""

import datetime as dt
import logging
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError

from shortbreaks.core.roles import Role
from shortbreaks.core.storage import StoreUnavailable, store_file
from shortbreaks.directory.models import StrategyDocument
from shortbreaks.directory.services import publications
from shortbreaks.directory.services.publications import document_publish
from shortbreaks.families.models import EligibilityApplication, EvidenceDocument
from shortbreaks.families.services import eligibility
from shortbreaks.families.services.eligibility import application_submit

from .factories import PDF, make_child, make_family, make_user, sign_in

SRC = Path(__file__).resolve().parent.parent / "src" / "shortbreaks"
DOWN_HEADING = "Sorry, we cannot reach the documents store at the moment"
DOWN_NEXT = "Try again in a few minutes."


def publish(authority, commissioner, name="mps.pdf"):
    return document_publish(
        authority=authority,
        title="Market position",
        description="",
        upload=SimpleUploadedFile(name, PDF),
        uploaded_by=commissioner,
    )


@pytest.fixture
def child(authority, parent):
    return make_child(make_family(authority, reference="F-1", carer_user=parent), "Sam", born=dt.date(2017, 5, 1))


def _fail(*args, **kwargs):
    raise DatabaseError("the database went away after the file was saved")


# --- Only through the storage API ----------------------------------------------------------


def test_nothing_in_src_opens_a_path_under_media_root():
    """Files are reached only through Django's storage API (core/storage.py), so they work on
    an object store too; only the settings name MEDIA_ROOT (backups included: core/backup.py)."""
    allowed: set[Path] = set()
    direct = re.compile(r"MEDIA_ROOT|\bstorage\.path\(|\.(?:file|pdf|easy_read_pdf)\.path\b")
    found = [
        f"{path.relative_to(SRC)}:{number}: {line.strip()}"
        for path in SRC.rglob("*.py")
        if "settings" not in path.relative_to(SRC).parts and "migrations" not in path.parts and path not in allowed
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if direct.search(line)
    ]
    assert not found, "direct file access under MEDIA_ROOT:\n" + "\n".join(found)


def test_the_s3_store_is_set_from_the_environment(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    from shortbreaks.settings.base import file_storage

    assert file_storage("local") == {"BACKEND": "shortbreaks.core.storage.LocalStorage"}
    with pytest.raises(ImproperlyConfigured, match="SHORTBREAKS_S3_BUCKET"):
        file_storage("s3")
    with pytest.raises(ImproperlyConfigured, match="local or s3"):
        file_storage("ftp")
    for name, value in {
        "SHORTBREAKS_S3_BUCKET": "council-files",
        "SHORTBREAKS_S3_ENDPOINT_URL": "https://objects.council.example",
        "SHORTBREAKS_S3_REGION": "uk-1",
        "SHORTBREAKS_S3_ACCESS_KEY_ID": "key",
        "SHORTBREAKS_S3_SECRET_ACCESS_KEY": "secret",
    }.items():
        monkeypatch.setenv(name, value)
    options = file_storage("s3")["OPTIONS"]
    assert file_storage("s3")["BACKEND"] == "shortbreaks.core.s3.S3Storage"
    assert (options["bucket_name"], options["endpoint_url"], options["region_name"]) == (
        "council-files",
        "https://objects.council.example",
        "uk-1",
    )
    assert (options["access_key"], options["secret_key"]) == ("key", "secret")
    assert options["default_acl"] is None and options["file_overwrite"] is False


@pytest.mark.parametrize("storage_backend", ["s3"], indirect=True)
def test_s3_objects_are_private_never_overwritten_and_never_linked(authority, commissioner, storage_backend):
    import boto3
    from botocore import UNSIGNED
    from botocore.config import Config
    from botocore.exceptions import ClientError

    from .storage import REGION, _boto_keys

    first, second = publish(authority, commissioner, "same.pdf"), publish(authority, commissioner, "same.pdf")
    assert first.file.name != second.file.name
    assert storage_backend.names() == sorted([first.file.name, second.file.name])
    client = boto3.client("s3", endpoint_url=storage_backend.endpoint, region_name=REGION, **_boto_keys())
    grants = client.get_object_acl(Bucket=storage_backend.bucket, Key=first.file.name)["Grants"]
    assert all(grant["Grantee"].get("Type") == "CanonicalUser" for grant in grants), grants
    with pytest.raises(NotImplementedError, match="own views"):
        first.file.url  # noqa: B018
    # Not readable without the keys.
    anonymous = boto3.client(
        "s3",
        endpoint_url=storage_backend.endpoint,
        region_name=REGION,
        config=Config(signature_version=UNSIGNED),
    )
    with pytest.raises(ClientError):
        anonymous.get_object(Bucket=storage_backend.bucket, Key=first.file.name)


def test_store_file_is_only_for_inside_the_pattern(authority):
    document = StrategyDocument(authority=authority, title="t")
    with pytest.raises(RuntimeError, match="atomic_with_files"):
        store_file(document.file, SimpleUploadedFile("a.pdf", PDF))


# --- A file only with its record, and the reverse -----------------------------------------


def test_the_file_is_deleted_when_its_record_does_not_commit(authority, commissioner, storage_backend, monkeypatch):
    monkeypatch.setattr(publications, "audit_record", _fail)
    with pytest.raises(DatabaseError):
        publish(authority, commissioner)
    assert not StrategyDocument.objects.exists()
    assert storage_backend.names() == []


def test_every_evidence_file_is_deleted_when_the_application_does_not_commit(
    policy, child, parent, storage_backend, monkeypatch
):
    monkeypatch.setattr(eligibility, "audit_record", _fail)
    with pytest.raises(DatabaseError):
        application_submit(
            child=child,
            declarations={},
            submitted_by=parent,
            evidence=[SimpleUploadedFile("a.pdf", PDF), SimpleUploadedFile("b.pdf", PDF)],
        )
    assert not EligibilityApplication.objects.exists() and not EvidenceDocument.objects.exists()
    assert storage_backend.names() == []


def test_no_record_is_written_when_the_file_cannot_be_saved(authority, commissioner, storage_backend):
    with storage_backend.down(), pytest.raises(StoreUnavailable):
        publish(authority, commissioner)
    assert not StrategyDocument.objects.exists()
    assert storage_backend.names() == []


def test_a_failure_midway_leaves_neither_record_nor_the_files_saved_before(
    policy, child, parent, storage_backend, monkeypatch
):
    """The first evidence file is saved, the second cannot be: the first is deleted again and
    no application is written."""
    from django.core.files.storage import storages

    backend = type(storages["default"])
    original, calls = backend._save, []

    def second_fails(self, name, content):
        calls.append(name)
        if len(calls) == 2:
            raise StoreUnavailable("the store went away midway")
        return original(self, name, content)

    monkeypatch.setattr(backend, "_save", second_fails)
    with pytest.raises(StoreUnavailable):
        application_submit(
            child=child,
            declarations={},
            submitted_by=parent,
            evidence=[SimpleUploadedFile("a.pdf", PDF), SimpleUploadedFile("b.pdf", PDF)],
        )
    assert len(calls) == 2
    assert not EligibilityApplication.objects.exists() and not EvidenceDocument.objects.exists()
    assert storage_backend.names() == []


# --- The store down: a clear page ----------------------------------------------------------


def _is_the_down_page(response):
    html = response.content.decode()
    return response.status_code == 503 and DOWN_HEADING in html and DOWN_NEXT in html and "Traceback" not in html


def test_an_upload_when_the_store_is_down_is_a_clear_page_and_logged(client, commissioner, storage_backend, caplog):
    sign_in(client, commissioner)
    with storage_backend.down(), caplog.at_level(logging.ERROR, logger="shortbreaks.core.middleware"):
        response = client.post(
            "/manage/documents/new/",
            {"title": "Market position", "description": "", "file": SimpleUploadedFile("mps.pdf", PDF)},
        )
    assert _is_the_down_page(response), response.content[:500]
    assert response["Retry-After"]
    assert any("documents store could not be reached" in r.getMessage() for r in caplog.records)
    assert not StrategyDocument.objects.exists() and storage_backend.names() == []
    # Back up: the same upload goes through.
    response = client.post(
        "/manage/documents/new/",
        {"title": "Market position", "description": "", "file": SimpleUploadedFile("mps.pdf", PDF)},
    )
    assert response.status_code == 302 and len(storage_backend.names()) == 1


def test_a_download_when_the_store_is_down_is_a_clear_page_and_logged(
    client, authority, commissioner, policy, child, parent, storage_backend, caplog
):
    document = publish(authority, commissioner)
    application = application_submit(
        child=child, declarations={}, submitted_by=parent, evidence=[SimpleUploadedFile("letter.pdf", PDF)]
    )
    evidence_url = f"/caseload/applications/{application.pk}/evidence/{application.evidence.get().pk}/"
    sign_in(client, make_user(authority, Role.OFFICER, email="officer-2@example.org"))
    with storage_backend.down(), caplog.at_level(logging.ERROR, logger="shortbreaks.core.middleware"):
        for url in (f"/commissioning/documents/{document.pk}/", evidence_url):
            response = client.get(url)
            assert _is_the_down_page(response), (url, response.status_code)
    assert len([r for r in caplog.records if "documents store could not be reached" in r.getMessage()]) == 2
    for url in (f"/commissioning/documents/{document.pk}/", evidence_url):
        response = client.get(url)
        assert response.status_code == 200 and b"".join(response.streaming_content) == PDF


def test_the_workers_pdfs_are_kept_only_with_the_statement_record(
    authority, borough, commissioner, storage_backend, monkeypatch, django_capture_on_commit_callbacks
):
    """The worker stores a statement's PDFs with its record: when saving the record fails, the
    PDFs it had saved are deleted; when it succeeds, both are in the store."""
    from shortbreaks.insight.models import Statement
    from shortbreaks.insight.services import statement_publish
    from shortbreaks.insight.tasks import render_statement_pdfs

    from .clock import TODAY

    with django_capture_on_commit_callbacks(execute=False):
        statement = statement_publish(
            authority=authority,
            kind="services",
            review_by=TODAY + dt.timedelta(days=180),
            summary_of_changes="",
            published_by=commissioner,
        )
    real_save = Statement.save

    def save_fails(self, *args, **kwargs):
        if "pdf" in (kwargs.get("update_fields") or ()):
            raise DatabaseError("the database went away after the PDFs were saved")
        return real_save(self, *args, **kwargs)

    monkeypatch.setattr(Statement, "save", save_fails)
    with pytest.raises(DatabaseError):
        render_statement_pdfs.call(statement_id=statement.pk)
    statement.refresh_from_db()
    assert not statement.pdf and not statement.easy_read_pdf
    assert storage_backend.names() == []

    monkeypatch.setattr(Statement, "save", real_save)
    render_statement_pdfs.call(statement_id=statement.pk)
    statement.refresh_from_db()
    assert storage_backend.names() == sorted([statement.pdf.name, statement.easy_read_pdf.name])
    assert storage_backend.read(statement.pdf.name).startswith(b"%PDF")


def test_a_familys_evidence_upload_when_the_store_is_down_is_the_same_page(
    client, policy, child, parent, storage_backend
):
    sign_in(client, parent)
    url = f"/family/children/{child.pk}/apply/"
    with storage_backend.down():
        response = client.post(url, {"declare_substantial": "on", "evidence": SimpleUploadedFile("letter.pdf", PDF)})
    assert _is_the_down_page(response)
    assert not EligibilityApplication.objects.exists() and storage_backend.names() == []
    response = client.post(url, {"declare_substantial": "on", "evidence": SimpleUploadedFile("letter.pdf", PDF)})
    assert response.status_code == 302 and storage_backend.names() == [EvidenceDocument.objects.get().file.name]


def test_a_file_gone_from_the_store_is_not_found_for_the_person_and_an_error_in_the_log(
    client, authority, commissioner, storage_backend, caplog
):
    document = publish(authority, commissioner)
    document.file.storage.delete(document.file.name)  # its record is here, its file is not
    with caplog.at_level(logging.ERROR, logger="shortbreaks.core.downloads"):
        response = client.get(f"/commissioning/documents/{document.pk}/")
    assert response.status_code == 404 and "Traceback" not in response.content.decode()
    assert any("Stored file missing" in r.getMessage() for r in caplog.records)
