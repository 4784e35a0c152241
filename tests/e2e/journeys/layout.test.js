// The pages fit a 320 px phone and a 1280 px desktop (WCAG 1.4.10 reflow), and leave
// screenshots in artifacts/ for a person to look at.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { launchBrowser, baseUrl, firstServiceSlug, Tab } from '../lib/browser.js';
import { repoRoot } from '../lib/locales.js';

const artifacts = process.env.ARTIFACTS_DIR || path.join(repoRoot, 'tests/e2e/artifacts');

let browser;
let serviceSlug;
before(async () => {
  browser = await launchBrowser();
  fs.mkdirSync(artifacts, { recursive: true });
  serviceSlug = await firstServiceSlug('อาหาร');
});
after(async () => {
  await browser?.close();
});

for (const width of [320, 1280]) {
  test(`the home and a service page fit ${width} px without sideways scrolling, in Thai and English`, async () => {
    for (const lang of ['th', 'en']) {
      const tab = await Tab.open(browser, { javaScriptEnabled: true, viewport: { width, height: 800 } });
      try {
        for (const [name, pagePath] of [['home', '/'], ['service', `/services/${serviceSlug}`]]) {
          const response = await tab.goto(`${pagePath}?lang=${lang}`);
          assert.equal(response.status(), 200, `${pagePath} answered ${response.status()}`);
          assert.equal(await tab.page.locator('html').getAttribute('lang'), lang);
          await tab.page.screenshot({ path: path.join(artifacts, `${name}-${lang}-${width}.png`), fullPage: true });
          const scrollWidth = await tab.page.evaluate(() => document.documentElement.scrollWidth);
          assert.ok(scrollWidth <= width, `${pagePath}?lang=${lang} is ${scrollWidth} px wide in a ${width} px window`);
        }
      } finally {
        await tab.close();
      }
    }
  });
}
