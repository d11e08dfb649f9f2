// Sign in through a login link, then run Lighthouse (default mobile emulation) on each page in that browser.
// Usage: node bench/lighthouse_run.mjs '{"chromium": ..., "login": URL, "pages": {name: URL}, "out": DIR}'
// The cookies stay in the browser's jar (Lighthouse clears caches and storage between runs, never
// cookies); a Cookie header given with --extra-headers would be overridden by the first cookie the app sets.
import { writeFileSync } from "node:fs";
import { join } from "node:path";

import lighthouse from "lighthouse";
import puppeteer from "puppeteer-core";

const { chromium, login, pages, out, categories } = JSON.parse(process.argv[2]);
const browser = await puppeteer.launch({
  executablePath: chromium,
  headless: true,
  args: ["--headless=new", "--no-sandbox"],
  defaultViewport: null,
});
try {
  const page = await browser.newPage();
  await page.goto(login, { waitUntil: "load" });
  for (const [name, url] of Object.entries(pages)) {
    // On a busy machine the trace sometimes misses the navigation's start (NO_NAVSTART), and the run has
    // no timings at all: such a run is tried again, up to three times in all.
    let result;
    for (let attempt = 1; attempt <= 3; attempt++) {
      result = await lighthouse(url, { output: ["json", "html"], onlyCategories: categories, logLevel: "error" }, undefined, page);
      if (!result.lhr.runtimeError) break;
    }
    const [json, html] = result.report;
    writeFileSync(join(out, `${name}.report.json`), json);
    writeFileSync(join(out, `${name}.report.html`), html);
  }
} finally {
  await browser.close();
}
