"""What every benchmark needs: a throwaway PostgreSQL (unless DATABASE_URL is given), the app
under gunicorn, timing helpers, and a description of the machine. Everything it starts, it
stops."""

import contextlib
import json
import os
import platform
import shlex
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent


def machine() -> dict:
    memory_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    cpu = platform.processor() or "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return {
        "cpus": os.cpu_count(),
        "memory_gb": round(memory_gb, 1),
        "cpu": cpu,
        "python": platform.python_version(),
        "system": platform.platform(),
    }


@contextlib.contextmanager
def postgres():
    """Yields a DATABASE_URL: the one given, or a throwaway PostgreSQL 15."""
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        yield os.environ["DATABASE_URL"]
        return
    output = subprocess.run([str(ROOT / "scripts" / "pg"), "start"], check=True, capture_output=True, text=True).stdout
    env = dict(line.removeprefix("export ").split("=", 1) for line in output.splitlines() if line.startswith("export "))
    try:
        yield env["DATABASE_URL"]
    finally:
        subprocess.run([str(ROOT / "scripts" / "pg"), "stop", env["PG_THROWAWAY_DIR"]], check=False)


def app_env(database_url: str, **extra) -> dict:
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": database_url,
            "DJANGO_SETTINGS_MODULE": "shortbreaks.settings.production",
            "SECRET_KEY": "bench-only-" + "k" * 60,
            "SECURE_SSL_REDIRECT": "false",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SHORTBREAKS_DATA_DIR": str(ROOT / "var" / "bench"),
            "LOG_LEVEL": "ERROR",
        }
    )
    env.update(extra)
    return env


def manage(env: dict, *args: str) -> None:
    print(f"$ shortbreaks {' '.join(args)}", flush=True)
    subprocess.run([str(VENV_BIN / "shortbreaks"), *args], env=env, check=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


RUNNING: dict = {}  # base URL -> gunicorn master process


def kill(base: str) -> None:
    """SIGKILL the app server at base, master and workers, mid-request: a power cut."""
    os.killpg(RUNNING[base].pid, signal.SIGKILL)


@contextlib.contextmanager
def gunicorn(env: dict, *, workers: int = 2, threads: int = 1, port: int | None = None, extra: str = ""):
    port = port or free_port()
    command = [
        str(VENV_BIN / "gunicorn"),
        "shortbreaks.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--log-level",
        "warning",
        *shlex.split(extra),
    ]
    if profile := os.environ.get("BENCH_PROFILE"):
        # Sample every worker with py-spy (pip install py-spy) into collapsed stacks at this path.
        command = [
            str(VENV_BIN / "py-spy"),
            "record",
            "--subprocesses",
            "--format",
            "raw",
            "--rate",
            "250",
            "--output",
            f"{profile}.{port}",
            "--",
            *command,
        ]
    # Its own process group, so kill() can take down the master and every worker at once.
    process = subprocess.Popen(command, env=env, cwd=ROOT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    RUNNING[base] = process
    try:
        deadline = time.monotonic() + 60
        while True:
            with contextlib.suppress(requests.ConnectionError):
                if requests.get(f"{base}/api/oruk/", timeout=5).status_code == 200:
                    break
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError("gunicorn did not start")
            time.sleep(0.3)
        yield base
    finally:
        RUNNING.pop(base, None)
        if profile:  # py-spy writes its samples on SIGINT; then the rest of the group stops
            process.send_signal(signal.SIGINT)
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=30)
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        process.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=20)
        if process.poll() is None:
            process.kill()


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def summarise(name: str, samples_s: list[float]) -> dict:
    ms = [s * 1000 for s in samples_s]
    figures = {
        "p50_ms": round(statistics.median(ms), 1),
        "p95_ms": round(percentile(ms, 0.95), 1),
        "max_ms": round(max(ms), 1),
        "requests": len(ms),
    }
    print(
        f"{name:>12}: p50 {figures['p50_ms']} ms, p95 {figures['p95_ms']} ms, max {figures['max_ms']} ms "
        f"over {len(ms)} requests",
        flush=True,
    )
    return figures


def print_result(result: dict) -> None:
    print("machine:", json.dumps(machine()))
    print(json.dumps(result))
