"""The layout every page shares."""

import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parents[1] / "src" / "shortbreaks"


def test_no_template_puts_error_inside_its_own_title():
    """GOV.UK: a page with errors starts its title "Error: ". The layout adds it (from `form`
    or `failed`); a page that names its errors otherwise overrides `title_prefix`, and never
    puts it inside its own title, which doubled it ("Error: Error: Alex Moore")."""
    doubled = [
        str(path.relative_to(ROOT))
        for path in ROOT.rglob("*.html")
        if re.search(r"{%\s*block title\s*%}[^{]*{%\s*if [^%]*%}\s*Error:", path.read_text())
    ]
    assert doubled == []


def test_a_page_with_an_error_says_so_once_in_its_title(client, authority):
    html = client.get("/services/", {"postcode": "hello"}).content.decode()
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert title.startswith("Error: Find a short break") and title.count("Error:") == 1
