// Debian's Chromium driven by playwright-core, and the axe-core check run on every page.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** WCAG 2.2 AA, as axe-core tags its rules. */
export const axeTags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** Debian's Chromium: browsers are never downloaded. */
export const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';

/** The machine's network is closed: these flags stop Chromium's own background traffic. */
export const chromiumFlags = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** Headless Chromium from Debian, with a fresh profile. */
export function launchBrowser() {
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumFlags });
}

/** The base URL the runner started the server on. */
export function baseUrl() {
  const url = process.env.BASE_URL;
  if (!url) throw new Error('BASE_URL is not set: run the suite with tests/e2e/run.sh');
  return url.replace(/\/$/, '');
}

/** The slug of the first service the search API finds for `query` (a demo service to visit). */
export async function firstServiceSlug(query) {
  const response = await fetch(`${baseUrl()}/api/v1/services?q=${encodeURIComponent(query)}`);
  if (response.status !== 200) throw new Error(`the search API answered ${response.status} for ${query}`);
  const match = (await response.text()).match(/"slug"\s*:\s*"([^"]+)"/);
  if (!match) throw new Error(`the search API returned no service with a slug for ${query}`);
  return match[1];
}

function describeViolations(url, violations) {
  const lines = [`axe found ${violations.length} WCAG violation(s) on ${url}:`];
  for (const v of violations) {
    lines.push(`- ${v.id} (${v.impact}): ${v.help} — ${v.helpUrl}`);
    for (const node of v.nodes.slice(0, 5)) {
      lines.push(`    at ${node.target.join(' ')}: ${node.failureSummary.replace(/\s+/g, ' ')}`);
    }
    if (v.nodes.length > 5) lines.push(`    … and ${v.nodes.length - 5} more`);
  }
  return lines.join('\n');
}

async function runAxe(page) {
  await page.evaluate(axeSource);
  return page.evaluate(
    (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }),
    axeTags,
  );
}

/**
 * A tab in a browser context that remembers the last HTML document it received, so that
 * axe can check it even when the context has JavaScript switched off.
 */
export class Tab {
  constructor(browser, context, page, javaScriptEnabled) {
    this.browser = browser;
    this.context = context;
    this.page = page;
    this.javaScriptEnabled = javaScriptEnabled;
    this.lastDocument = null;
    this.audited = [];
    page.on('response', (response) => {
      const status = response.status();
      if (response.request().isNavigationRequest() && response.frame() === page.mainFrame() &&
          (status < 300 || status >= 400)) {
        this.lastDocument = response;
      }
    });
  }

  /** Opens a new context (JavaScript on or off) with one page. */
  static async open(browser, { javaScriptEnabled, viewport = { width: 1280, height: 900 } }) {
    const context = await browser.newContext({ javaScriptEnabled, viewport, locale: 'th-TH' });
    context.setDefaultTimeout(15000);
    const page = await context.newPage();
    return new Tab(browser, context, page, javaScriptEnabled);
  }

  /** Goes to a path under BASE_URL; returns the response. */
  goto(path) {
    return this.page.goto(baseUrl() + path);
  }

  /** The HTTP status of the document on screen. */
  status() {
    return this.lastDocument ? this.lastDocument.status() : 0;
  }

  /** Runs axe on the document on screen; throws with a readable list on any violation. */
  async audit() {
    const url = this.page.url();
    let results;
    if (this.javaScriptEnabled) {
      results = await runAxe(this.page);
    } else {
      // axe needs JavaScript: check the very document this tab received, at its URL and with
      // its stylesheets, in a separate JavaScript-enabled page that does not run its scripts.
      const auditPage = await this.auditPage();
      this.replay = {
        body: await this.lastDocument.body(),
        contentType: (await this.lastDocument.allHeaders())['content-type'],
      };
      // Without the fragment, so that going to the same URL again is a new document load.
      await auditPage.goto(url.replace(/#.*$/, ''));
      if (this.replay) throw new Error(`axe could not replay ${url} with JavaScript off`);
      results = await runAxe(auditPage);
    }
    this.audited.push(url);
    if (results.violations.length > 0) throw new Error(describeViolations(url, results.violations));
  }

  /** The JavaScript-enabled page that replays documents for axe (JavaScript-off tabs only). */
  async auditPage() {
    if (!this.auditContext) {
      this.auditContext = await this.browser.newContext({ viewport: this.page.viewportSize() });
      this.auditContextPage = await this.auditContext.newPage();
      await this.auditContextPage.route('**/*', async (route) => {
        const request = route.request();
        if (request.isNavigationRequest() && this.replay) {
          const { body, contentType } = this.replay;
          this.replay = null;
          return route.fulfill({ status: 200, body, contentType });
        }
        if (request.resourceType() === 'script') return route.abort();
        return route.continue();
      });
    }
    return this.auditContextPage;
  }

  async close() {
    await this.auditContext?.close();
    await this.context.close();
  }
}
