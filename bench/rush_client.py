"""The rush's parents, in a process of their own so that the load costs the app's cores as
little as it can, and what it does cost is measured (booking_rush.py reports it).

Reads one line of JSON on stdin: {"parents": [[base, username, [child ids]], ...], "password",
"session_id", "service_id", "via": "api" or "page"}. Every parent signs in with the sign-in
page's CSRF token and gets the booking page, as parents do at 8:59; then it prints "ready" and
waits for "go" on stdin. At "go" every parent books each of their children in turn, all parents
at once, each attempt with its own idempotency key: through the booking API (JSON, the
X-CSRFToken header) or through the booking page's form. Prints one line of JSON:
{"results": [[status, seconds, [booking or child ids], seconds since "go"], ...], "elapsed",
"cpu_seconds"}, where
status is 201 for booked, 409 for refused because the session is full, and anything else is an
error (0: no answer, the server was gone).

With "failover": {base: other base} in the job (bench/two_hosts.py), a booking attempt that gets
no answer from its server (refused, reset, timed out: the server is gone) is sent again, once,
to the other server with the same idempotency key, as a load balancer retries on another
backend; the parent then stays on that server. The same key means a booking the dead server
made before it could answer is given back, never made twice. Each result then has two more
elements: the base that gave the final answer, and whether the attempt was retried there."""

import asyncio
import json
import re
import sys
import time
import uuid
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


async def http(host: str, port: int, request: bytes) -> tuple[int, list[str], bytes]:
    """One HTTP/1.1 exchange on its own connection, as gunicorn's sync workers close each one:
    written by hand on asyncio's streams because an HTTP client library cost the load generator
    more CPU per request than the app spends refusing one. Returns the status, the Set-Cookie
    headers and the body."""
    reader, writer = await asyncio.open_connection(host, port)
    try:
        writer.write(request)
        response = await reader.read(-1)  # to the end: "Connection: close"
    finally:
        writer.close()
    head, _, body = response.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    cookies = [line.split(":", 1)[1].strip() for line in lines[1:] if line.lower().startswith("set-cookie:")]
    return int(lines[0].split()[1]), cookies, body


class Parent:
    """One parent's browser behind the council's TLS-terminating proxy: the proxy says the
    request was HTTPS (X-Forwarded-Proto), so the app's Secure cookies are carried by hand."""

    def __init__(self, base: str, username: str, children: list[str]):
        self.base, self.username, self.children = base, username, children
        address = urlsplit(base)
        self.host, self.port = address.hostname, address.port
        self.origin = f"https://{address.netloc}"
        # Where requests are sent: the Host and Referer stay the public name, as through a balancer.
        self.server = base
        self.cookies: dict[str, str] = {}

    async def request(self, method: str, path: str, *, data=None, json_body=None, headers=None) -> tuple[int, str]:
        body, kind = b"", ""
        if json_body is not None:
            body, kind = json.dumps(json_body).encode(), "application/json"
        elif data is not None:
            body, kind = urlencode(data, doseq=True).encode(), "application/x-www-form-urlencoded"
        lines = [
            f"{method} {path} HTTP/1.1",
            f"Host: {self.host}:{self.port}",
            "Connection: close",
            "X-Forwarded-Proto: https",
            f"Referer: {self.origin}{path}",
            f"Content-Length: {len(body)}",
        ]
        if kind:
            lines.append(f"Content-Type: {kind}")
        if self.cookies:
            lines.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
        server = urlsplit(self.server)
        status, set_cookies, answer = await asyncio.wait_for(
            http(server.hostname, server.port, ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body), timeout=60
        )
        for header in set_cookies:
            self.cookies.update({name: morsel.value for name, morsel in SimpleCookie(header).items()})
        return status, answer.decode()

    async def sign_in(self, password: str, book_page: str, limit: asyncio.Semaphore) -> None:
        async with limit:  # password hashing is slow on purpose: a few at a time, as at 8:59
            await self.request("GET", "/accounts/sign-in/")
            status, _ = await self.request(
                "POST",
                "/accounts/sign-in/",
                data={
                    "username": self.username,
                    "password": password,
                    "csrfmiddlewaretoken": self.cookies["csrftoken"],
                },
            )
            if status != 302:
                raise RuntimeError(f"sign-in failed for {self.username}: {status}")
            status, page = await self.request("GET", book_page)
            if status != 200:
                raise RuntimeError(f"the booking page answered {status} for {self.username}")
            self.form_token = CSRF_FIELD.search(page).group(1)

    async def book_by_api(self, session_id: str, child_id: str, key: str) -> tuple[int, list[str]]:
        payload = {"session_ids": [session_id], "child_ids": [child_id], "idempotency_key": key}
        status, body = await self.request(
            "POST", "/api/bookings/", json_body=payload, headers={"X-CSRFToken": self.cookies["csrftoken"]}
        )
        ids = [b["id"] for b in json.loads(body).get("bookings", [])] if status == 201 else []
        return status, ids

    async def book_by_page(self, book_page: str, session_id: str, child_id: str, key: str) -> tuple[int, list[str]]:
        status, body = await self.request(
            "POST",
            book_page,
            data={
                "csrfmiddlewaretoken": self.form_token,
                "session": session_id,
                "child": child_id,
                "action": "book",
                "idempotency_key": key,
            },
        )
        if status == 302:  # on to "Your bookings", which says "Booked"
            return 201, [f"child:{child_id}"]
        if status == 400 and " is full" in body:  # the page again, saying the session is full
            return 409, []
        return status or 500, []

    async def book(self, job: dict, book_page: str, child_id: str, key: str) -> tuple[int, list[str]]:
        try:
            if job["via"] == "page":
                return await self.book_by_page(book_page, job["session_id"], child_id, key)
            return await self.book_by_api(job["session_id"], child_id, key)
        except (OSError, TimeoutError, ValueError, IndexError):
            return 0, []

    async def rush(self, job: dict, results: list, go: float) -> None:
        book_page = f"/services/{job['service_id']}/book/"
        failover = job.get("failover")
        for child_id in self.children:
            began = time.perf_counter()
            key = uuid.uuid4().hex
            status, ids = await self.book(job, book_page, child_id, key)
            retried = status == 0 and bool(failover) and self.server in failover
            if retried:
                self.server = failover[self.server]  # the balancer's other backend, from now on
                status, ids = await self.book(job, book_page, child_id, key)
            done = time.perf_counter()
            results.append((status, done - began, ids, done - go, *([self.server, retried] if failover else [])))


async def main() -> None:
    job = json.loads(sys.stdin.readline())
    book_page = f"/services/{job['service_id']}/book/"
    parents = [Parent(base, user, children) for base, user, children in job["parents"]]
    limit = asyncio.Semaphore(4)
    await asyncio.gather(*(parent.sign_in(job["password"], book_page, limit) for parent in parents))
    print("ready", flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
    results: list = []
    cpu, began = time.process_time(), time.perf_counter()
    await asyncio.gather(*(parent.rush(job, results, began) for parent in parents))
    elapsed, cpu = time.perf_counter() - began, time.process_time() - cpu
    print(json.dumps({"results": results, "elapsed": elapsed, "cpu_seconds": cpu}), flush=True)


if __name__ == "__main__":
    import uvloop  # libuv's event loop: the same load for about half the CPU

    uvloop.run(main())
