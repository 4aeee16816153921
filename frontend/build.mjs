// Compiles the stylesheet and copies GOV.UK Frontend's script into the Django static folder.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

import { checkCss } from "./check-css.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "src", "shortbreaks", "static", "dist");
mkdirSync(out, { recursive: true });

const result = sass.compile(join(root, "frontend", "scss", "app.scss"), {
  style: "compressed",
  importers: [new sass.NodePackageImporter()],
  quietDeps: true,
});
// Before writing: a stylesheet with an unevaluated Sass call is a failed build, not a file.
checkCss(result.css, "app.css");
writeFileSync(join(out, "app.css"), result.css);

const govuk = join(root, "node_modules", "govuk-frontend", "dist", "govuk");
// The source map is not shipped, so drop the comment pointing at it (collectstatic would fail).
const bundle = readFileSync(join(govuk, "all.bundle.js"), "utf8").replace(/^\/\/# sourceMappingURL=.*$/m, "");
writeFileSync(join(out, "govuk-frontend.bundle.js"), bundle);
console.log(`built ${out}`);
