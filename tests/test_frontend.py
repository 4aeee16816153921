"""The front-end build: the stylesheet npm builds has no Sass left unevaluated in it (GOV.UK
Frontend 6 dropped govuk-tint(), Sass passed the call through as CSS, and the browser dropped
the gap map's shading with it), and the build's check fails on a stylesheet that has."""

import pathlib
import shutil
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
BUILT = ROOT / "src" / "shortbreaks" / "static" / "dist" / "app.css"
CHECK = ROOT / "frontend" / "check-css.mjs"

needs_node = pytest.mark.skipif(shutil.which("node") is None, reason="Node.js builds the front end")


def check(path: pathlib.Path) -> subprocess.CompletedProcess:
    return subprocess.run(["node", str(CHECK), str(path)], capture_output=True, text=True, timeout=60)


@needs_node
def test_the_built_stylesheet_has_no_unevaluated_sass():
    assert BUILT.exists(), "build the front end first: npm run build"
    result = check(BUILT)
    assert result.returncode == 0, result.stderr
    css = BUILT.read_text()
    for band, colour in (("1", "#d2e2f1"), ("2", "#8eb8dc"), ("3", "#16548a")):
        assert f".app-heat__cell--{band}{{background:{colour}}}" in css


@needs_node
@pytest.mark.parametrize(
    "declaration",
    [
        "background:govuk-tint(var(--govuk-brand-colour, #1d70b8), 85%)",
        "background:govuk-shade(#1d70b8, 20%)",
        'color:govuk-colour("white")',
        "color:rgba($govuk-text-colour, 0.5)",
        "width:#{$width}",
    ],
)
def test_the_build_fails_on_a_sass_call_left_in_the_css(tmp_path, declaration):
    css = tmp_path / "app.css"
    css.write_text(f".a{{color:var(--govuk-brand-colour, #1d70b8)}}.b{{{declaration}}}")
    result = check(css)
    assert result.returncode == 1 and "never evaluated" in result.stderr


@needs_node
def test_the_check_passes_real_css_with_custom_properties(tmp_path):
    css = tmp_path / "app.css"
    css.write_text(".a{color:var(--govuk-brand-colour, #1d70b8);background:color-mix(in srgb, red 20%, white)}")
    assert check(css).returncode == 0
