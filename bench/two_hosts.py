"""Two app servers and a worker on three hosts, sharing only PostgreSQL and an S3-compatible
object store: nothing lives on one server's disk (issue 21).

    sudo .venv/bin/python bench/two_hosts.py [--attempts 2000] [--clients 50] [--places 300]
                                             [--workers 2] [--kill-after 1.0]

Needs root (network namespaces), iproute2, PostgreSQL 15's binaries and moto's standalone
server (`moto[server]`, in the test extras; production uses the council's own object store).

The hosts are network namespaces joined by veth pairs, each with its own empty data folder
(SHORTBREAKS_DATA_DIR, into which it installs the release's static files as a deploy does) and
nothing shared on disk; the migrations, the demo and the rush's parents are loaded from core,
as an operator's rollout would:

    core   10.21.{1,2,3}.1  PostgreSQL (:5432), moto's S3 server (:9000), this script's checks
                            and the rush's load generator, like the council's network
    a      10.21.1.2        gunicorn (:8000)
    b      10.21.2.2        gunicorn (:8000)
    worker 10.21.3.2        shortbreaks db_worker

No host can reach any other but through core, and no traffic leaves the namespaces (or their
loopback). What it proves:

- upload_cross_host: a provider signed in through host A uploads a bid document through the
  real form on host A; through host B the same signed-in session (sessions are in the
  database) downloads it byte for byte, and a visitor who is not signed in gets 404 there (the
  bid's access check still holds);
- pdf_cross_host: a statement published on host A is made into a PDF by the worker on its
  own host, and both app servers serve the same bytes;
- neither holds for a file on one server's disk: every host's MEDIA_ROOT stays empty;
- the booking rush, its parents spread over A and B, with host A's server killed (SIGKILL to
  gunicorn's master and workers) mid-rush: rush_booked acknowledgements, oversold and lost
  from the database as booking_rush.py reads them (lost also counts a booking left
  half-written or a budget not equal to its ledger). A booking attempt that gets no answer
  from host A (cut off by the kill, or refused once A is gone) is sent again to host B with
  the same idempotency key, as a load balancer retries on another backend; it is counted by
  host B's answer, so errors is every attempt whose final answer was neither 201 nor 409,
  with nothing left out for the kill;
- killed_host_recovered: host A's parents were carried on by host B (at least one attempt
  retried there, every retried one answered 201 or 409, B still healthy), and host A's server
  started again on its empty folder is healthy and serves the bid document byte for byte.

Last line: {"hosts", "upload_cross_host", "pdf_cross_host", "rush_booked", "oversold", "lost",
"errors", "killed_host_recovered"}. It removes its namespaces and stops everything it started,
also on Ctrl-C."""

import argparse
import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
import uuid
from http.cookies import SimpleCookie
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
from booking_rush import PASSWORD, prepare, run_django, rush, verify
from harness import ROOT, RUNNING, VENV_BIN, app_env, kill

NAMESPACE = "sb2h-"  # every namespace this script makes starts with it
CORE = f"{NAMESPACE}core"
HOSTS = {"a": 1, "b": 2, "worker": 3}  # host -> its link to core, 10.21.N.0/24
PG_PORT, S3_PORT, APP_PORT = 5432, 9000, 8000
PGBIN = Path("/usr/lib/postgresql/15/bin")
BUCKET, REGION = "shortbreaks-two-hosts", "eu-west-2"


def core_side(host: str) -> str:
    return f"10.21.{HOSTS[host]}.1"


def host_side(host: str) -> str:
    return f"10.21.{HOSTS[host]}.2"


def base_of(host: str) -> str:
    return f"http://{host_side(host)}:{APP_PORT}"


def ip(*args: str) -> None:
    subprocess.run(["ip", *args], check=True)


# --- The network (run as root, outside the namespaces) ------------------------------------


def make_network() -> None:
    """core, and each host joined to it by a veth pair of its own."""
    ip("netns", "add", CORE)
    ip("-n", CORE, "link", "set", "lo", "up")
    for host in HOSTS:
        namespace, link = f"{NAMESPACE}{host}", f"to-{host}"
        ip("netns", "add", namespace)
        ip("link", "add", link, "netns", CORE, "type", "veth", "peer", "name", "eth0", "netns", namespace)
        ip("-n", CORE, "addr", "add", f"{core_side(host)}/24", "dev", link)
        ip("-n", CORE, "link", "set", link, "up")
        ip("-n", namespace, "addr", "add", f"{host_side(host)}/24", "dev", "eth0")
        ip("-n", namespace, "link", "set", "eth0", "up")
        ip("-n", namespace, "link", "set", "lo", "up")


def our_namespaces() -> list[str]:
    listed = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True).stdout.split()
    return [name for name in listed if name.startswith(NAMESPACE)]


def remove_network() -> None:
    """Whatever is still running in our namespaces (only what this script started there) is
    killed by its pid, then the namespaces go, and their veth pairs with them."""
    for namespace in our_namespaces():
        pids = subprocess.run(["ip", "netns", "pids", namespace], capture_output=True, text=True).stdout.split()
        for pid in pids:
            with contextlib.suppress(ProcessLookupError, ValueError):
                os.kill(int(pid), signal.SIGKILL)
        subprocess.run(["ip", "netns", "delete", namespace], check=False)


def outside(args, argv: list[str]) -> None:
    if our_namespaces():
        sys.exit(f"namespaces {our_namespaces()} exist already: another run, or one that did not clean up")
    work = Path(tempfile.mkdtemp(prefix="shortbreaks-two-hosts."))
    work.chmod(0o755)  # PostgreSQL runs as its own user, under this folder
    try:
        make_network()
        inner = subprocess.Popen(
            ["ip", "netns", "exec", CORE, sys.executable, str(Path(__file__).resolve()), "--inside", str(work), *argv]
        )
        try:
            inner.wait()
        except KeyboardInterrupt:  # it has the Ctrl-C too: let it stop what it started
            with contextlib.suppress(subprocess.TimeoutExpired, KeyboardInterrupt):
                inner.wait(timeout=60)
            raise
        if inner.returncode:
            sys.exit(inner.returncode)
    finally:
        remove_network()
        keep_logs(work)
        shutil.rmtree(work, ignore_errors=True)


def keep_logs(work: Path) -> None:
    """The servers' logs, kept in var/two_hosts/ (the rest of the run's folder goes)."""
    kept = ROOT / "var" / "two_hosts"
    kept.mkdir(parents=True, exist_ok=True)
    for log in [*work.glob("*.log"), work / "pg" / "log"]:
        if log.is_file():
            shutil.copy(log, kept / ("postgres.log" if log.name == "log" else log.name))


# --- What runs in core ---------------------------------------------------------------------


def in_host(host: str, *command) -> list[str]:
    return ["ip", "netns", "exec", f"{NAMESPACE}{host}", *map(str, command)]


def stop(process: subprocess.Popen) -> None:
    """SIGTERM to its process group (it was started in a session of its own), then SIGKILL."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=20)
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


@contextlib.contextmanager
def started(command: list, *, env=None, cwd=None, log: Path | None = None):
    output = log.open("ab") if log else subprocess.DEVNULL
    process = subprocess.Popen(command, env=env, cwd=cwd, stdout=output, stderr=output, start_new_session=True)
    try:
        yield process
    finally:
        stop(process)
        if log:
            output.close()


@contextlib.contextmanager
def postgres(folder: Path):
    """A throwaway PostgreSQL 15 on core's addresses, trusting the hosts' links (as scripts/pg
    does on loopback); durability off, it lives for one run."""
    folder.mkdir()
    shutil.chown(folder, "postgres")
    as_pg = ["runuser", "-u", "postgres", "--"]
    data = folder / "data"
    subprocess.run(
        [*as_pg, PGBIN / "initdb", "-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C.UTF-8"],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    with (data / "pg_hba.conf").open("a") as hba:
        hba.write("host all postgres 10.21.0.0/16 trust\n")
    addresses = ",".join(["127.0.0.1", *map(core_side, HOSTS)])
    options = (
        f"-p {PG_PORT} -k {folder} -c listen_addresses={addresses} -c fsync=off -c synchronous_commit=off "
        "-c full_page_writes=off -c max_connections=200"
    )
    subprocess.run(
        [*as_pg, PGBIN / "pg_ctl", "-D", data, "-l", folder / "log", "-w", "-o", options, "start"],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    try:
        subprocess.run(
            [*as_pg, PGBIN / "createdb", "-h", "127.0.0.1", "-p", str(PG_PORT), "-U", "postgres", "shortbreaks"],
            check=True,
        )
        yield
    finally:
        subprocess.run([*as_pg, PGBIN / "pg_ctl", "-D", data, "-m", "immediate", "stop"], check=False)


@contextlib.contextmanager
def s3_server(log: Path):
    """moto's standalone S3 server on core, with the app's (private) bucket."""
    import boto3

    with started([VENV_BIN / "moto_server", "-H", "0.0.0.0", "-p", str(S3_PORT)], log=log):
        wait_for(lambda: requests.get(f"http://127.0.0.1:{S3_PORT}/", timeout=2).status_code < 500, "moto_server")
        boto3.client(
            "s3",
            endpoint_url=f"http://127.0.0.1:{S3_PORT}",
            region_name=REGION,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        ).create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})
        yield


def wait_for(check, what: str, *, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while True:
        with contextlib.suppress(requests.RequestException):
            if check():
                return
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what} did not come up")
        time.sleep(0.5)


def host_env(work: Path, host: str, *, via: str) -> dict:
    """A host's settings: its own data folder; the database and the store at core's address on
    its link (`via` is 127.0.0.1 for the checks run in core itself)."""
    data = work / host
    data.mkdir(exist_ok=True)
    return app_env(
        f"postgres://postgres@{via}:{PG_PORT}/shortbreaks",
        SHORTBREAKS_DATA_DIR=str(data),
        ALLOWED_HOSTS=",".join(host_side(h) for h in ("a", "b")),
        DEFAULT_AUTHORITY="dovebridge",
        EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
        SHORTBREAKS_STORAGE="s3",
        SHORTBREAKS_S3_BUCKET=BUCKET,
        SHORTBREAKS_S3_ENDPOINT_URL=f"http://{via}:{S3_PORT}",
        SHORTBREAKS_S3_REGION=REGION,
        SHORTBREAKS_S3_ACCESS_KEY_ID="testing",
        SHORTBREAKS_S3_SECRET_ACCESS_KEY="testing",
        SHORTBREAKS_S3_ADDRESSING_STYLE="path",
        RUSH_PASSWORD=PASSWORD,
    )


def collect_static(env: dict) -> list[subprocess.Popen]:
    """Each host installs the release's static files into its own folder, as a deploy does."""
    return [
        subprocess.Popen(
            in_host(host, VENV_BIN / "shortbreaks", "collectstatic", "--noinput", "-v", "0"), env=env[host]
        )
        for host in HOSTS
    ]


@contextlib.contextmanager
def app_server(work: Path, host: str, env: dict, *, workers: int):
    """gunicorn on the host's own address, as harness.gunicorn starts it; harness.kill works on it."""
    command = in_host(
        host,
        VENV_BIN / "gunicorn",
        "shortbreaks.wsgi:application",
        "--bind",
        f"{host_side(host)}:{APP_PORT}",
        "--workers",
        workers,
        "--log-level",
        "warning",
    )
    base = base_of(host)
    with started(command, env=env, cwd=work / host, log=work / f"{host}.log") as process:
        RUNNING[base] = process
        try:
            wait_for(lambda: requests.get(f"{base}/healthz", timeout=5).status_code == 200, f"host {host}")
            yield base
        finally:
            RUNNING.pop(base, None)


# --- The checks ------------------------------------------------------------------------------

BID_SETUP = """
import django
django.setup()
from shortbreaks.accounts.models import RoleAssignment, User
from shortbreaks.procurement.models import Opportunity
from shortbreaks.procurement.services import submission_save
import os
def provider(email):
    user = User.objects.get(username=email)
    return user, RoleAssignment.objects.filter(user=user, role="provider").first().organisation
# The demo's open tender, which provider3 has not bid for yet: a draft bid of theirs.
_, bidder = provider("provider@dovebridge.example")
user, organisation = provider("provider3@dovebridge.example")
tender = (Opportunity.objects.filter(status="open", submissions__organisation=bidder, lots__number=1)
          .exclude(submissions__organisation=organisation).distinct().first())
user.set_password(os.environ["RUSH_PASSWORD"])
user.save()
lot = tender.lots.get(number=1)
submission_save(opportunity=tender, lot=lot, organisation=organisation, answers={}, price=None, saved_by=user)
print(tender.pk, lot.pk, user.username)
"""
FIND_DOCUMENT = """
import sys
import django
django.setup()
from shortbreaks.procurement.models import ProcurementDocument
print(ProcurementDocument.objects.get(original_filename=sys.argv[1]).pk)
"""
PUBLISH = """
import datetime as dt
import django
django.setup()
from django.utils import timezone
from shortbreaks.accounts.models import User
from shortbreaks.core.models import Authority
from shortbreaks.insight.services import statement_publish
statement = statement_publish(
    authority=Authority.objects.get(slug="dovebridge"), kind="market_position",
    review_by=timezone.localdate() + dt.timedelta(days=300), summary_of_changes="Published on host A",
    published_by=User.objects.get(username="commissioner@dovebridge.example"))
print(statement.pk)
"""


class Browser:
    """A signed-in browser behind the council's TLS-terminating proxy (X-Forwarded-Proto), its
    cookies carried by hand since they are Secure; `base` may change, as a balancer moves it."""

    def __init__(self, base: str):
        self.base, self.cookies = base, {}

    def send(self, method: str, path: str, **kwargs) -> requests.Response:
        origin = "https://" + self.base.removeprefix("http://")
        headers = {"X-Forwarded-Proto": "https", "Referer": origin + path}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        response = requests.request(
            method, self.base + path, headers=headers, allow_redirects=False, timeout=60, **kwargs
        )
        for header in response.raw.headers.getlist("Set-Cookie"):
            self.cookies.update({name: morsel.value for name, morsel in SimpleCookie(header).items()})
        return response

    def sign_in(self, username: str, password: str) -> None:
        self.send("GET", "/accounts/sign-in/")
        data = {"username": username, "password": password, "csrfmiddlewaretoken": self.cookies["csrftoken"]}
        if self.send("POST", "/accounts/sign-in/", data=data).status_code != 302:
            raise RuntimeError(f"{username} could not sign in")


def bid_document_pdf() -> bytes:
    """A PDF's header and 300 kB of random bytes: any change on the way shows."""
    return b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + os.urandom(300_000) + b"\n%%EOF\n"


def upload_bid_document(core_env: dict, body: bytes) -> tuple[Browser, str]:
    """Through host A's form, as the provider does. Returns the signed-in browser and the
    document's path."""
    opportunity, lot, username = run_django(core_env, BID_SETUP).split()
    browser = Browser(base_of("a"))
    browser.sign_in(username, PASSWORD)
    name = f"bid-{uuid.uuid4().hex[:8]}.pdf"
    answer = browser.send(
        "POST",
        f"/opportunities/{opportunity}/lots/{lot}/documents/",
        data={"title": "Our safeguarding policy", "csrfmiddlewaretoken": browser.cookies["csrftoken"]},
        files={"file": (name, body, "application/pdf")},
    )
    if answer.status_code != 302:
        raise RuntimeError(f"host A did not take the upload: {answer.status_code}")
    document = run_django(core_env, FIND_DOCUMENT, name).strip()
    return browser, f"/opportunities/{opportunity}/documents/{document}/"


def served_by(browser: Browser, base: str, path: str) -> requests.Response:
    browser.base = base
    return browser.send("GET", path)


def upload_cross_host(core_env: dict) -> tuple[bool, Browser, str, bytes]:
    body = bid_document_pdf()
    browser, path = upload_bid_document(core_env, body)
    on_b = served_by(browser, base_of("b"), path)
    stranger = served_by(Browser(base_of("b")), base_of("b"), path)
    print(
        f"bid document: uploaded through host A ({len(body)} bytes); host B gave the provider "
        f"{on_b.status_code} ({'the same bytes' if on_b.content == body else 'different bytes'}), "
        f"a visitor {stranger.status_code}",
        flush=True,
    )
    return on_b.status_code == 200 and on_b.content == body and stranger.status_code == 404, browser, path, body


def pdf_cross_host(env: dict) -> bool:
    """Published on host A; the worker's PDF, fetched through both app servers."""
    statement = subprocess.run(
        in_host("a", sys.executable, "-c", PUBLISH), env=env["a"], check=True, capture_output=True, text=True
    ).stdout.strip()
    path = f"/statements/{statement}/pdf/"
    wait_for(lambda: Browser(base_of("a")).send("GET", path).status_code == 200, "the worker's PDF", seconds=300)
    on_a, on_b = (Browser(base_of(host)).send("GET", path) for host in ("a", "b"))
    same = on_a.status_code == on_b.status_code == 200 and on_a.content == on_b.content
    print(
        f"statement PDF: made by the worker, {len(on_a.content)} bytes from host A, {len(on_b.content)} from "
        f"host B, {'the same' if same else 'NOT the same'}",
        flush=True,
    )
    return same and on_a.content.startswith(b"%PDF")


def media_files(work: Path) -> list[str]:
    """Files any host kept on its own disk (MEDIA_ROOT): there should be none."""
    folders = [work / host / "media" for host in [*HOSTS, "core"]]
    return [str(p.relative_to(work)) for folder in folders for p in folder.rglob("*") if p.is_file()]


def rush_over_both(core_env: dict, prepared: tuple, kill_after: float) -> tuple[list, dict, float]:
    """booking_rush's rush, parents alternating between A and B, with A killed mid-rush."""
    session_id, service_id, parents = prepared

    def power_cut():
        time.sleep(kill_after)
        kill(base_of("a"))
        print(f"  SIGKILL to host A's gunicorn (master and workers) {kill_after}s into the rush", flush=True)

    done = rush(
        [base_of("a"), base_of("b")],
        parents,
        session_id,
        service_id,
        during=power_cut,
        failover={base_of("a"): base_of("b")},
    )
    check = verify(core_env, session_id, done.results)
    return done.results, check, done.elapsed


def carried_on(results: list) -> bool:
    retried = [status for status, _, _, _, _, was_retried in results if was_retried]
    healthy = requests.get(f"{base_of('b')}/healthz", timeout=10).status_code == 200
    return bool(retried) and all(status in (201, 409) for status in retried) and healthy


@contextlib.contextmanager
def shared_services(work: Path):
    """What the hosts share, on core: PostgreSQL and the object store. Nothing else."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        os.environ.pop(name, None)  # nothing leaves the namespaces
    with postgres(work / "pg"), s3_server(work / "moto.log"):
        yield


def set_up(work: Path, args) -> tuple[dict, dict, tuple]:
    """Migrate and load the demo and the rush's parents (from core, as an operator's rollout
    does), while each host installs its static files. Returns each host's settings, core's own,
    and what booking_rush.prepare made."""
    env = {host: host_env(work, host, via=core_side(host)) for host in HOSTS}
    core_env = host_env(work, "core", via="127.0.0.1")
    installing = collect_static(env)
    prepared = prepare(core_env, clients=args.clients, per_client=args.attempts // args.clients, places=args.places)
    if any(process.wait() for process in installing):
        raise RuntimeError("collectstatic failed on a host")
    return env, core_env, prepared


def checked(check, *args, failed):
    """A check that breaks says so and counts as failed; the rest of the run goes on."""
    try:
        return check(*args)
    except Exception:
        traceback.print_exc()
        return failed


def inside(args) -> None:
    work = Path(args.inside)
    with shared_services(work):
        env, core_env, prepared = set_up(work, args)
        worker = in_host("worker", VENV_BIN / "shortbreaks", "db_worker", "--interval", "1")
        with started(worker, env=env["worker"], cwd=work / "worker", log=work / "worker.log"):
            with contextlib.ExitStack() as servers:
                for host in ("a", "b"):
                    servers.enter_context(app_server(work, host, env[host], workers=args.workers))
                upload_ok, browser, document, body = checked(upload_cross_host, core_env, failed=(False, None, "", b""))
                pdf_ok = checked(pdf_cross_host, env, failed=False)
                results, check, elapsed = rush_over_both(core_env, prepared, args.kill_after)
                recovered = carried_on(results)
            # Host A again, on its own empty folder: nothing it needs was on its disk.
            with app_server(work, "a", env["a"], workers=args.workers) as restarted:
                again = served_by(browser, restarted, document) if browser else None
                recovered = recovered and again is not None and again.status_code == 200 and again.content == body
        kept_locally = media_files(work)
    report(results, args.kill_after, check, elapsed, upload_ok, pdf_ok, recovered, kept_locally)


def report(results, kill_after, check, elapsed, upload_ok, pdf_ok, recovered, kept_locally) -> None:
    acknowledged = {booking for status, _, ids, *_ in results if status == 201 for booking in ids}
    errors = sum(1 for status, *_ in results if status not in (201, 409))
    retried = [status for status, *_, was_retried in results if was_retried]
    after_kill = sum(1 for status, _, _, at, *_ in results if status == 201 and at > kill_after)
    by_host = {base: sum(1 for *_, server, _ in results if server == base) for base in map(base_of, ("a", "b"))}
    print(
        f"rush: {len(results)} attempts in {elapsed:.1f}s, {len(acknowledged)} booked, {errors} errors; "
        f"answered by host A {by_host[base_of('a')]}, host B {by_host[base_of('b')]}; {len(retried)} retried "
        f"on B after A went ({retried.count(201)} of them booked), {after_kill} booked after the kill",
        flush=True,
    )
    print(
        f"  database: {check['live']} live for {check['places']} places, {check['lost']} acknowledged missing, "
        f"{check['half_written']} half-written, {check['budget_mismatches']} budgets off their ledger",
        flush=True,
    )
    if kept_locally:
        print(f"files kept on a host's own disk: {kept_locally}", flush=True)
    print(
        json.dumps(
            {
                "hosts": len(HOSTS),
                "upload_cross_host": upload_ok and not kept_locally,
                "pdf_cross_host": pdf_ok and not kept_locally,
                "rush_booked": len(acknowledged),
                "oversold": max(0, check["live"] - check["places"]),
                "lost": check["lost"] + check["half_written"] + check["budget_mismatches"],
                "errors": errors,
                "killed_host_recovered": recovered,
            }
        ),
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--attempts", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--places", type=int, default=300)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per app server")
    parser.add_argument("--kill-after", type=float, default=1.0, help="seconds into the rush")
    parser.add_argument("--inside", help=argparse.SUPPRESS)  # the part run in core, by the part outside
    argv = sys.argv[1:]
    args = parser.parse_args()
    if os.geteuid() != 0:
        sys.exit("two_hosts.py makes network namespaces: run it as root")
    if args.inside:
        inside(args)
    else:
        outside(args, argv)


if __name__ == "__main__":
    main()
