"""The Open Referral UK validator's rules (OpenReferralUK/oruk-validator), ported to Python as a
checker for a running ORUK 3.0 API, reached over real HTTP. Our own code, after its rules:

- discovery: `GET /` answers, and its `version` (as "3.0", "V3", "HSDS-UK-3.0") names the
  standard we hold (tests/standards/oruk-3.0);
- every GET path in the standard's openapi.json not tagged "Optional" (none is, in 3.0) is
  required, and must answer 2xx (we ask for 200);
- a path with a `page` query parameter is paged: its first page, a middle one (total_pages // 2,
  when there are more than two) and its last; a list with no records is reported;
- each answer validates against the schema openapi.json gives for that path's 200 response
  (the page envelope and the compiled schema for its items, resolved offline);
- the {id} paths are tried with ids taken from the list at the same root (at most 10);

and, with them, checks of our own that we did not find in its source:

- the page envelope tells the truth (total_items, total_pages, page_number, size, first_page,
  last_page, empty), and no record is on two pages;
- every answer carries Access-Control-Allow-Origin (`*` or the caller's origin);
- every service's `assured_date` is present and no older than 3 months (nor in the future).

`OrukValidator(base_url, today=...).run()` returns a list of Problems, each naming the rule, the
request, the record and why. The checker never reads the machine's date: `today` is given."""

import copy
import datetime as dt
import json
import math
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache, lru_cache

from dateutil.relativedelta import relativedelta
from jsonschema import Draft202012Validator, FormatChecker

from .oruk_schemas import ROOT, registry

ORIGIN = "https://validator.example"
MAX_IDS = 10
ASSURED_WITHIN = relativedelta(months=3)
PAGE_FIELDS = ("total_items", "total_pages", "page_number", "size", "first_page", "last_page", "empty")


@dataclass(frozen=True)
class Problem:
    rule: str
    request: str  # "GET /services?page=2&per_page=3"
    record: str  # the record's id (and name, when it has one), or "-" for the whole answer
    why: str

    def __str__(self) -> str:
        return f"[{self.rule}] {self.request} {self.record}: {self.why}"


@dataclass
class Answer:
    request: str
    status: int
    headers: Mapping[str, str]
    body: object = None  # the parsed JSON, or None
    error: str = ""  # why there is no body


@dataclass
class OrukValidator:
    base_url: str  # the API root, e.g. "http://localhost:8081/api/oruk"
    today: dt.date
    per_page: int | Mapping[str, int] = 50  # one size for every list, or by path ("default" for the rest)
    problems: list[Problem] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)  # every request made, in order

    # -- running ---------------------------------------------------------------------------

    def run(self) -> list[Problem]:
        spec = openapi()
        root = self.discover(spec)
        ids: dict[str, list[str]] = {}
        for path, operation in required_gets(spec):
            if "{" in path:
                continue
            if path == "/":
                self.check_answer(path, operation, root)
            elif has_page_parameter(spec, operation):
                ids[root_of(path)] = self.check_pages(path, operation)
            else:
                answer = self.get(path)
                if self.check_answer(path, operation, answer):
                    ids[root_of(path)] = [str(r["id"]) for r in records_in(answer.body) if "id" in r][:MAX_IDS]
        for path, operation in required_gets(spec):
            if "{" in path:
                self.check_by_id(path, operation, ids.get(root_of(path), []))
        return self.problems

    def report(self, rule: str, request: str, record: str, why: str) -> None:
        self.problems.append(Problem(rule, request, record, why))

    # -- discovery ---------------------------------------------------------------------------

    def discover(self, spec: dict) -> Answer:
        answer = self.get("/")
        wanted = spec["info"]["version"]
        if answer.status != 200 or not isinstance(answer.body, dict):
            self.report("discovery", answer.request, "-", f"the API root answered {answer.status} {answer.error}")
            return answer
        version = answer.body.get("version")
        if not isinstance(version, str) or not version.strip():
            self.report("discovery", answer.request, "-", "no `version` to say which standard it follows")
        elif version_number(version) != float(wanted):
            self.report("discovery", answer.request, "-", f"version {version!r} is not the standard's {wanted}")
        return answer

    # -- one answer --------------------------------------------------------------------------

    def check_answer(self, path: str, operation: dict, answer: Answer) -> bool:
        """Required endpoint, CORS, JSON and the openapi.json schema: True if it can be read."""
        self.check_cors(answer)
        if answer.status != 200:
            why = f"a required endpoint answered {answer.status}, not 200"
            self.report("required-endpoint", answer.request, "-", f"{why} {answer.error}".strip())
            return False
        if answer.body is None:
            self.report("json", answer.request, "-", answer.error or "no JSON body")
            return False
        for error in response_validator(path).iter_errors(answer.body):
            where = list(error.absolute_path)
            self.report("schema", answer.request, record_at(answer.body, where), f"{json_path(where)}: {error.message}")
        self.check_assured(path, answer)
        return True

    def check_cors(self, answer: Answer) -> None:
        allowed = answer.headers.get("access-control-allow-origin")
        if allowed is None:
            self.report("cors", answer.request, "-", "no Access-Control-Allow-Origin header")
        elif allowed not in ("*", ORIGIN):
            self.report("cors", answer.request, "-", f"Access-Control-Allow-Origin {allowed!r} shuts out {ORIGIN}")

    def check_assured(self, path: str, answer: Answer) -> None:
        oldest = self.today - ASSURED_WITHIN
        for service in services_in(path, answer.body):
            record = describe(service)
            raw = service.get("assured_date")
            if raw in (None, ""):
                self.report("assured-date", answer.request, record, "no assured_date: when was it last checked?")
                continue
            try:
                assured = dt.date.fromisoformat(str(raw)[:10])
            except ValueError:
                self.report("assured-date", answer.request, record, f"assured_date {raw!r} is not a date")
                continue
            if assured < oldest:
                self.report(
                    "assured-date",
                    answer.request,
                    record,
                    f"assured_date {assured} is older than 3 months (before {oldest}, as of {self.today})",
                )
            elif assured > self.today:
                self.report("assured-date", answer.request, record, f"assured_date {assured} is after {self.today}")

    # -- lists -------------------------------------------------------------------------------

    def check_pages(self, path: str, operation: dict) -> list[str]:
        """The first, middle and last pages; returns the ids they hold, for the {id} paths."""
        size = self.page_size(path)
        first = self.get(path, page=1, per_page=size)
        if not self.check_answer(path, operation, first):
            return []
        body = first.body if isinstance(first.body, dict) else {}
        if not records_in(body):
            self.report("empty-feed", first.request, "-", "the list holds no records")
        pages = [(1, first)]
        total_pages = body.get("total_pages")
        if isinstance(total_pages, int) and total_pages > 1:
            wanted = ([total_pages // 2] if total_pages > 2 else []) + [total_pages]
            for number in wanted:
                answer = self.get(path, page=number, per_page=size)
                if self.check_answer(path, operation, answer):
                    pages.append((number, answer))
        self.check_envelopes(pages, size, body.get("total_items"))
        seen: dict[str, str] = {}
        for _, answer in pages:
            for record in records_in(answer.body):
                rid = str(record.get("id", ""))
                if rid in seen:
                    self.report("paging", answer.request, describe(record), f"also on {seen[rid]}")
                seen.setdefault(rid, answer.request)
        return [rid for rid in seen if rid][:MAX_IDS]

    def check_envelopes(self, pages: list[tuple[int, Answer]], size: int, total_items) -> None:
        for number, answer in pages:
            body = answer.body if isinstance(answer.body, dict) else {}
            missing = [name for name in PAGE_FIELDS if name not in body]
            if missing:
                self.report("paging", answer.request, "-", f"the page envelope lacks {', '.join(missing)}")
                continue
            count = len(records_in(body))
            total = body["total_items"]
            expected_pages = max(1, math.ceil(total / size)) if isinstance(total, int) else None
            on_this_page = max(0, min(size, total - (number - 1) * size)) if isinstance(total, int) else None
            for name, expected, why in (
                ("total_items", total_items, "differs from the first page's"),
                ("total_pages", expected_pages, f"is not total_items / per_page ({total} / {size}) rounded up"),
                ("page_number", number, "is not the page asked for"),
                ("size", count, "is not the number of records on the page"),
                ("first_page", number == 1, f"is wrong for page {number}"),
                ("last_page", number == expected_pages, f"is wrong for page {number} of {expected_pages}"),
                ("empty", count == 0, f"is wrong for a page of {count} records"),
            ):
                if body[name] != expected:
                    self.report("paging", answer.request, "-", f"{name} {body[name]!r} {why} (expected {expected!r})")
            if on_this_page is not None and count != on_this_page:
                self.report("paging", answer.request, "-", f"{count} records on page {number}; {on_this_page} expected")

    def page_size(self, path: str) -> int:
        if isinstance(self.per_page, int):
            return self.per_page
        return self.per_page.get(path, self.per_page.get("default", 50))

    # -- {id} paths --------------------------------------------------------------------------

    def check_by_id(self, path: str, operation: dict, ids: list[str]) -> None:
        if not ids:
            self.report("ids", f"GET {path}", "-", f"no ids from the {root_of(path)} list to try it with")
            return
        for rid in ids:
            answer = self.get(re.sub(r"\{[^}]+\}", urllib.parse.quote(rid, safe=""), path))
            if self.check_answer(path, operation, answer) and isinstance(answer.body, dict):
                if str(answer.body.get("id")) != rid:
                    self.report("ids", answer.request, rid, f"answered with the record {answer.body.get('id')!r}")

    # -- HTTP --------------------------------------------------------------------------------

    def get(self, path: str, **params) -> Answer:
        query = f"?{urllib.parse.urlencode(params)}" if params else ""
        request = f"GET {path}{query}"
        self.requests.append(request)
        url = self.base_url.rstrip("/") + path + query
        http = urllib.request.Request(url, headers={"Accept": "application/json", "Origin": ORIGIN})
        try:
            with urllib.request.urlopen(http, timeout=30) as response:
                status, headers, raw = response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            status, headers, raw = error.code, error.headers, error.read()
        except (urllib.error.URLError, TimeoutError) as error:
            return Answer(request, 0, {}, error=str(error))
        answer = Answer(request, status, {k.lower(): v for k, v in headers.items()})
        try:
            answer.body = json.loads(raw)
        except ValueError as error:
            answer.error = f"not JSON: {error}"
        return answer


# -- the standard's openapi.json ---------------------------------------------------------------


@lru_cache(maxsize=1)
def openapi() -> dict:
    return json.loads((ROOT / "schema" / "openapi.json").read_text())


def required_gets(spec: dict) -> Iterator[tuple[str, dict]]:
    """Every GET in the standard but those tagged Optional (none is, in ORUK 3.0), with the
    path's parameters and the operation's together."""
    for path, item in spec["paths"].items():
        operation = item.get("get")
        if operation is None:
            continue
        if any(tag.lower() == "optional" for tag in operation.get("tags", [])):
            continue
        yield path, {**operation, "parameters": item.get("parameters", []) + operation.get("parameters", [])}


def has_page_parameter(spec: dict, operation: dict) -> bool:
    return any(
        p.get("name") == "page" and p.get("in") == "query" for p in (inline(spec, p) for p in operation["parameters"])
    )


def inline(spec: dict, node):
    """The node with the document's own `#/...` references replaced by what they point at (the
    remote ones, to the compiled schemas, are left to the registry)."""
    if isinstance(node, list):
        return [inline(spec, n) for n in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/"):
        target = spec
        for part in ref[2:].split("/"):
            target = target[part]
        return inline(spec, copy.deepcopy(target))
    return {k: inline(spec, v) for k, v in node.items()}


@cache
def response_validator(path: str) -> Draft202012Validator:
    spec = openapi()
    schema = inline(spec, spec["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"])
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}
    return Draft202012Validator(schema, registry=registry(), format_checker=FormatChecker())


# -- reading answers ---------------------------------------------------------------------------


def version_number(version: str) -> float | None:
    """As the validator reads it: "HSDS-UK-3.0", "V3" and "3.0" are all 3.0."""
    cleaned = re.sub(r"(?i)hsds-uk-", "", version).replace("V", "").replace("v", "").strip()
    try:
        return float(cleaned)
    except ValueError:
        return None


def root_of(path: str) -> str:
    return "/" + path.strip("/").split("/")[0]


def records_in(body) -> list[dict]:
    if isinstance(body, dict) and isinstance(body.get("contents"), list):
        return [r for r in body["contents"] if isinstance(r, dict)]
    return []


def services_in(path: str, body) -> Iterator[dict]:
    """The service records in an answer: a service list's contents, one service, and the
    services nested in services at locations."""
    if not isinstance(body, dict):
        return
    records = records_in(body) if "contents" in body else [body]
    for record in records:
        if root_of(path) == "/services":
            yield record
        elif root_of(path) == "/service_at_locations" and isinstance(record.get("service"), dict):
            yield record["service"]


def describe(record: dict) -> str:
    """A record's id, with its name (a service at location's is its service's) when it has one."""
    service = record.get("service")
    name = record.get("name") or (service.get("name") if isinstance(service, dict) else None)
    return f"{record.get('id', '?')} ({name})" if name else str(record.get("id", "?"))


def record_at(body, where: list) -> str:
    """The record a schema error is in: a list item, or the answer itself."""
    if isinstance(body, dict) and where[:1] == ["contents"] and len(where) > 1:
        try:
            return describe(body["contents"][where[1]])
        except (IndexError, KeyError, TypeError):
            return "-"
    return describe(body) if isinstance(body, dict) and "id" in body else "-"


def json_path(where: list) -> str:
    return "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in where)
