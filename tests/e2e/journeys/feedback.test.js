// A person tells Pratu what they thought of it, with JavaScript on and then off: finds the
// form from the footer, sends it first without choosing an answer (and keeps what they wrote),
// then sends it, reads the thank-you page and the public statistics. An administrator then
// reads the comment. axe-core checks every page on the way.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, Tab } from '../lib/browser.js';
import { stepsOf } from '../lib/journey.js';
import { t } from '../lib/locales.js';

const adminEmail = 'admin@demo.pratu.example';
const adminPassword = 'pratu-demo-admin';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

/** The number in the statistics table's cell for `label`'s row, in column `column` (1: this month). */
async function cell(page, label, column) {
  // By its header exactly: "พอใจ" (satisfied) is also the start of "พอใจมาก" (very satisfied).
  const row = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: label, exact: true }) });
  return Number((await row.getByRole('cell').nth(column - 1).innerText()).trim());
}

for (const javaScriptEnabled of [true, false]) {
  const mode = javaScriptEnabled ? 'on' : 'off';

  test(`a person gives feedback with JavaScript ${mode}`, async (journey) => {
    const tab = await Tab.open(browser, { javaScriptEnabled });
    const { page } = tab;
    const comment = `ค้นหาบริการได้เร็วดี (e2e ${mode} ${Date.now()})`;
    const satisfied = t('th', 'feedback.ratings.satisfied');
    let earlier = 0;

    // Each step runs only if the ones before it passed: the journey is one person's path.
    const step = stepsOf(journey);

    try {
      await step('reads the statistics before giving feedback', async () => {
        const response = await tab.goto('/feedback/statistics');
        assert.equal(response.status(), 200);
        await tab.audit();
        earlier = await cell(page, satisfied, 1);
      });

      await step('finds the feedback form from the footer of the home page', async () => {
        await tab.goto('/');
        await page.getByRole('contentinfo').getByRole('link', { name: t('th', 'layout.feedback_link') }).click();
        await page.waitForLoadState();
        assert.match(page.url(), /\/feedback$/);
        assert.equal(tab.status(), 200);
        await page.getByRole('group', { name: t('th', 'feedback.form.rating_label') }).waitFor();
        await tab.audit();
      });

      await step('sends it without an answer: 422, an error summary, and the comment kept', async () => {
        await page.getByLabel(t('th', 'feedback.form.comment_label'), { exact: true }).fill(comment);
        await page.getByRole('button', { name: t('th', 'feedback.form.submit') }).click();
        await page.waitForLoadState();
        assert.equal(tab.status(), 422);
        const summary = page.getByRole('alert');
        assert.ok((await summary.innerText()).includes(t('th', 'feedback.errors.rating_required')));
        assert.equal(await page.getByLabel(t('th', 'feedback.form.comment_label'), { exact: true }).inputValue(), comment);
        await tab.audit();
      });

      await step('chooses an answer, sends it and is thanked', async () => {
        await page.getByRole('radio', { name: satisfied, exact: true }).check();
        await page.getByRole('button', { name: t('th', 'feedback.form.submit') }).click();
        await page.waitForLoadState();
        assert.match(page.url(), /\/feedback\/thanks$/);
        assert.equal(tab.status(), 200);
        await page.getByRole('heading', { level: 1, name: t('th', 'feedback.thanks.title') }).waitFor();
        await tab.audit();
      });

      await step('sees the answer counted in the public statistics', async () => {
        await page.getByRole('link', { name: t('th', 'feedback.thanks.statistics_link') }).click();
        await page.waitForLoadState();
        assert.match(page.url(), /\/feedback\/statistics$/);
        assert.equal(await cell(page, satisfied, 1), earlier + 1);
        await tab.audit();
      });

      await step('an administrator reads the comment', async () => {
        await tab.goto('/feedback/comments');
        assert.match(page.url(), /\/login\?next=/);
        await page.getByLabel(t('th', 'accounts.fields.login.label'), { exact: true }).fill(adminEmail);
        await page.getByLabel(t('th', 'accounts.fields.login_password.label'), { exact: true }).fill(adminPassword);
        await page.getByRole('button', { name: t('th', 'accounts.login.submit') }).click();
        await page.waitForLoadState();
        assert.match(page.url(), /\/feedback\/comments$/);
        assert.equal(tab.status(), 200);
        assert.ok((await page.locator('main').innerText()).includes(comment), 'the comment is not listed');
        await tab.audit();
      });
    } finally {
      await tab.close();
    }
  });
}
