"""Both file-store backends for the tests of uploads and downloads: `storage_backend` runs a
test twice, on local files (the per-test temporary MEDIA_ROOT from conftest) and on S3 through
moto's real HTTP server (ThreadedMotoServer, started once per session on 127.0.0.1, with a
fresh bucket per test). Nothing leaves loopback.

    @pytest.mark.usefixtures("storage_backend")     # just run on both
    def test_...(storage_backend): storage_backend.names(), with storage_backend.down(): ...
"""

import contextlib
import logging
import os
import socket
import uuid
from pathlib import Path

import pytest

REGION = "eu-west-2"
KEYS = {"access_key": "testing", "secret_key": "testing"}


def s3_settings(endpoint: str, bucket: str) -> dict:
    from botocore.config import Config

    return {
        "BACKEND": "shortbreaks.core.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": endpoint,
            "region_name": REGION,
            **KEYS,
            "client_config": Config(
                s3={"addressing_style": "path"},
                connect_timeout=2,
                read_timeout=5,
                retries={"max_attempts": 1, "mode": "standard"},
                proxies={},
            ),
        },
    }


def _closed_port() -> int:
    """A loopback port nothing listens on: connecting to it is refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def s3_endpoint():
    from moto.server import ThreadedMotoServer

    saved = {name: os.environ.get(name) for name in ("NO_PROXY", "no_proxy")}
    os.environ["NO_PROXY"] = os.environ["no_proxy"] = "127.0.0.1,localhost"
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # not a line per request in failures
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


def _client(endpoint: str):
    import boto3

    return boto3.client("s3", endpoint_url=endpoint, region_name=REGION, **_boto_keys())


def _boto_keys() -> dict:
    return {"aws_access_key_id": KEYS["access_key"], "aws_secret_access_key": KEYS["secret_key"]}


class Backend:
    def __init__(self, kind: str, settings, endpoint: str | None = None, bucket: str | None = None):
        self.kind, self.settings, self.endpoint, self.bucket = kind, settings, endpoint, bucket

    def __repr__(self):
        return self.kind

    def names(self) -> list[str]:
        """Every stored file's name, from the store itself (not through the app)."""
        if self.kind == "s3":
            found = _client(self.endpoint).list_objects_v2(Bucket=self.bucket).get("Contents", [])
            return sorted(item["Key"] for item in found)
        root = Path(self.settings.MEDIA_ROOT)
        return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()) if root.is_dir() else []

    def read(self, name: str) -> bytes:
        if self.kind == "s3":
            return _client(self.endpoint).get_object(Bucket=self.bucket, Key=name)["Body"].read()
        return (Path(self.settings.MEDIA_ROOT) / name).read_bytes()

    @contextlib.contextmanager
    def down(self):
        """The store unreachable: S3 on a port nothing listens on; local files under a
        MEDIA_ROOT that is a file, not a folder (as a disk gone read-only or unmounted)."""
        if self.kind == "s3":
            before = self.settings.STORAGES
            self.settings.STORAGES = {
                **before,
                "default": s3_settings(f"http://127.0.0.1:{_closed_port()}", self.bucket),
            }
            try:
                yield
            finally:
                self.settings.STORAGES = before
        else:
            before = self.settings.MEDIA_ROOT
            blocked = Path(before).parent / "not-a-folder"
            blocked.write_bytes(b"")
            self.settings.MEDIA_ROOT = blocked
            try:
                yield
            finally:
                self.settings.MEDIA_ROOT = before


@pytest.fixture(params=["local", "s3"])
def storage_backend(request, settings):
    """The test runs on each file store in turn (see the module docstring)."""
    if request.param == "local":
        yield Backend("local", settings)
        return
    endpoint = request.getfixturevalue("s3_endpoint")
    bucket = f"test-{uuid.uuid4().hex[:16]}"
    client = _client(endpoint)
    client.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION})
    settings.STORAGES = {**settings.STORAGES, "default": s3_settings(endpoint, bucket)}
    yield Backend("s3", settings, endpoint, bucket)
    for item in client.list_objects_v2(Bucket=bucket).get("Contents", []):
        client.delete_object(Bucket=bucket, Key=item["Key"])
    client.delete_bucket(Bucket=bucket)
