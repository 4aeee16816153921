import os
import subprocess
import sys


def run(*args, **env):
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-m", "shortbreaks", *args], capture_output=True, text=True, env=environment, timeout=120
    )


def test_production_settings_pass_the_deploy_check(tmp_path):
    result = run(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SETTINGS_MODULE="shortbreaks.settings.production",
        SECRET_KEY="x" * 30 + "-production-secret-key-for-the-check-0123456789",
        ALLOWED_HOSTS="shortbreaks.example.gov.uk",
        SHORTBREAKS_DATA_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = run(
        "check",
        DJANGO_SETTINGS_MODULE="shortbreaks.settings.production",
        SECRET_KEY="",
        SHORTBREAKS_DATA_DIR=str(tmp_path),
    )
    assert result.returncode != 0 and "SECRET_KEY must be set" in result.stderr


def test_development_generates_and_keeps_a_secret_key(tmp_path):
    for _ in range(2):
        assert (
            run(
                "check",
                DJANGO_SETTINGS_MODULE="shortbreaks.settings.development",
                SECRET_KEY="",
                SHORTBREAKS_DATA_DIR=str(tmp_path),
            ).returncode
            == 0
        )
    key = (tmp_path / "secret_key").read_text()
    assert len(key) >= 50 and oct((tmp_path / "secret_key").stat().st_mode)[-3:] == "600"
