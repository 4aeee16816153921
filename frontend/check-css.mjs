// Fails the build if Sass left anything unevaluated in the CSS. Sass passes a call to a function
// it does not know (govuk-tint() after GOV.UK Frontend 6 dropped it) straight through as if it
// were CSS, and the browser then drops the whole declaration: the gap map lost its shading so.
// Run on its own as `node frontend/check-css.mjs <file.css>`.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const UNEVALUATED = [
  [/(?<![\w-])govuk-[\w-]+\(/, "a GOV.UK Frontend Sass function"],
  [/(?<![\w-])(?:tint|shade|lighten|darken|mix|transparentize|opacify)\(/, "a Sass colour function"],
  [/(?<![\w-])(?:rgba?|hsla?)\(\s*\$/, "a colour built from a Sass variable"],
  [/\$[A-Za-z_][\w-]*/, "a Sass variable"],
  [/#\{/, "Sass interpolation"],
];

export function unevaluated(css) {
  const found = [];
  for (const [pattern, what] of UNEVALUATED) {
    const match = css.match(pattern);
    if (match) {
      const start = Math.max(0, match.index - 40);
      found.push(`${what}: …${css.slice(start, match.index + 60)}…`);
    }
  }
  return found;
}

export function checkCss(css, name) {
  const found = unevaluated(css);
  if (found.length) {
    throw new Error(`${name} has Sass that was never evaluated:\n  ${found.join("\n  ")}`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const file = process.argv[2];
  try {
    checkCss(readFileSync(file, "utf8"), file);
  } catch (error) {
    console.error(error.message);
    process.exit(1);
  }
}
