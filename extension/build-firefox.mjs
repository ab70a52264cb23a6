// Build the Firefox variant of the extension in dist/firefox/ from the one source tree in src/.
// Firefox runs MV3 backgrounds as event pages (background.scripts), not service workers, and
// wants an add-on id and its data-collection declaration in browser_specific_settings.
import { cpSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const src = join(here, "src");
const out = join(here, "dist", "firefox");

rmSync(out, { recursive: true, force: true });
cpSync(src, out, { recursive: true });

const manifest = JSON.parse(readFileSync(join(src, "manifest.json"), "utf8"));
manifest.background = { scripts: ["common.js", "background.js"] };
manifest.browser_specific_settings = {
  gecko: {
    id: "pre-post-check@dmuk",
    strict_min_version: "140.0",
    // The draft text goes to the checker API the student configures, and nowhere else.
    data_collection_permissions: { required: ["websiteContent"] },
  },
  gecko_android: { strict_min_version: "142.0" },
};
writeFileSync(join(out, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
console.log(`Firefox build written to ${out}`);
