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
error (0: no answer, the server was gone)."""

import asyncio
import json
import re
import sys
import time
import uuid

import aiohttp

CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Parent:
    """One parent's browser behind the council's TLS-terminating proxy: the proxy says the
    request was HTTPS (X-Forwarded-Proto), so the app's Secure cookies are carried by hand."""

    def __init__(self, http: aiohttp.ClientSession, base: str, username: str, children: list[str]):
        self.http, self.base, self.username, self.children = http, base, username, children
        self.origin = "https://" + base.split("://", 1)[1]
        self.cookies: dict[str, str] = {}

    async def request(self, method: str, path: str, **kwargs) -> tuple[int, str]:
        headers = {
            "X-Forwarded-Proto": "https",
            "Referer": f"{self.origin}{path}",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
            **kwargs.pop("headers", {}),
        }
        async with self.http.request(
            method, f"{self.base}{path}", headers=headers, allow_redirects=False, **kwargs
        ) as response:
            body = await response.text()
            self.cookies.update({name: morsel.value for name, morsel in response.cookies.items()})
            return response.status, body

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

    async def book_by_api(self, session_id: str, child_id: str) -> tuple[int, list[str]]:
        payload = {"session_ids": [session_id], "child_ids": [child_id], "idempotency_key": uuid.uuid4().hex}
        status, body = await self.request(
            "POST", "/api/bookings/", json=payload, headers={"X-CSRFToken": self.cookies["csrftoken"]}
        )
        ids = [b["id"] for b in json.loads(body).get("bookings", [])] if status == 201 else []
        return status, ids

    async def book_by_page(self, book_page: str, session_id: str, child_id: str) -> tuple[int, list[str]]:
        status, body = await self.request(
            "POST",
            book_page,
            data={
                "csrfmiddlewaretoken": self.form_token,
                "session": session_id,
                "child": child_id,
                "action": "book",
                "idempotency_key": uuid.uuid4().hex,
            },
        )
        if status == 302:  # on to "Your bookings", which says "Booked"
            return 201, [child_id]
        if status == 400 and " is full" in body:  # the page again, saying the session is full
            return 409, []
        return status or 500, []

    async def rush(self, job: dict, results: list, go: float) -> None:
        book_page = f"/services/{job['service_id']}/book/"
        for child_id in self.children:
            began = time.perf_counter()
            try:
                if job["via"] == "page":
                    status, ids = await self.book_by_page(book_page, job["session_id"], child_id)
                else:
                    status, ids = await self.book_by_api(job["session_id"], child_id)
            except (TimeoutError, aiohttp.ClientError, ValueError):
                status, ids = 0, []
            done = time.perf_counter()
            results.append((status, done - began, ids, done - go))


async def main() -> None:
    job = json.loads(sys.stdin.readline())
    book_page = f"/services/{job['service_id']}/book/"
    # gunicorn's sync workers close every connection, so none is kept open.
    connector = aiohttp.TCPConnector(limit=0, force_close=True)
    async with aiohttp.ClientSession(
        connector=connector, cookie_jar=aiohttp.DummyCookieJar(), timeout=aiohttp.ClientTimeout(total=60)
    ) as http:
        parents = [Parent(http, base, user, children) for base, user, children in job["parents"]]
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
    asyncio.run(main())
