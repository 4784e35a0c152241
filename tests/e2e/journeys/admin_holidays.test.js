// An administrator keeps the government's holidays, with JavaScript off: finds the page from
// their account, is refused a date outside this year and next with what they typed kept, adds
// a holiday next year (in the Buddhist era, as Thai people write it), sees it listed with the
// change logged, and removes it again. axe-core checks every page on the way.
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

/** A weekday of next year in Thailand, in September (no fixed holiday falls then). */
function nextYearsWeekday() {
  const year = Number(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Bangkok', year: 'numeric' }).format(new Date())) + 1;
  for (let day = 1 + Math.floor(Math.random() * 20); ; day += 1) {
    const date = new Date(Date.UTC(year, 8, day));
    if (date.getUTCDay() !== 0 && date.getUTCDay() !== 6) return { year, month: 9, day, iso: date.toISOString().slice(0, 10) };
  }
}

test('an administrator adds a holiday next year and removes it again', async (journey) => {
  const tab = await Tab.open(browser, { javaScriptEnabled: false });
  const { page } = tab;
  const step = stepsOf(journey);
  const day = nextYearsWeekday();
  const nameTh = `วันหยุดพิเศษทดสอบ ${Date.now() % 100000}`;
  const nameEn = 'Special holiday (test)';
  const press = async (locator) => {
    await locator.click();
    await page.waitForLoadState();
  };
  const main = () => page.locator('main').innerText();
  const form = () => page.locator('section[aria-labelledby="add-heading"] form');
  const fill = async ({ d, m, y, th, en }) => {
    const f = form();
    await f.getByLabel(t('th', 'applications.date.day'), { exact: true }).fill(d);
    await f.getByLabel(t('th', 'applications.date.month'), { exact: true }).fill(m);
    await f.getByLabel(t('th', 'applications.date.year'), { exact: true }).fill(y);
    await f.getByLabel(t('th', 'applications.holidays.form.name_th'), { exact: true }).fill(th);
    await f.getByLabel(t('th', 'applications.holidays.form.name_en'), { exact: true }).fill(en);
  };

  try {
    await step('signs in and finds the holidays from their account', async () => {
      await tab.goto('/login?next=%2Faccount');
      await page.getByLabel(t('th', 'accounts.fields.login.label'), { exact: true }).fill(adminEmail);
      await page.getByLabel(t('th', 'accounts.fields.login_password.label'), { exact: true }).fill(adminPassword);
      await press(page.getByRole('button', { name: t('th', 'accounts.login.submit'), exact: true }));
      assert.match(page.url(), /\/account$/);
      await press(page.getByRole('link', { name: t('th', 'applications.holidays.link'), exact: true }));
      assert.equal(tab.status(), 200);
      assert.match(page.url(), /\/admin\/holidays$/);
      await page.getByRole('heading', { level: 1, name: t('th', 'applications.holidays.title'), exact: true }).waitFor();
      // This year and next, each under its Buddhist-era year.
      assert.equal(await page.locator('section[data-year]').count(), 2);
      assert.equal(await page.locator(`[data-holiday="${day.iso}"]`).count(), 0, `${day.iso} is a holiday already`);
      await tab.audit();
    });

    await step('a date five years on and no English name: refused, with what was typed kept', async () => {
      await fill({ d: String(day.day), m: String(day.month), y: String(day.year + 543 + 5), th: nameTh, en: '' });
      await press(form().locator('button[data-add-holiday]'));
      assert.equal(tab.status(), 422, await main());
      const summary = page.locator('.error-summary');
      assert.equal(await summary.locator('li').count(), 2, await summary.innerText());
      assert.ok((await summary.innerText()).includes(t('th', 'applications.holidays.errors.name_en_missing')));
      assert.equal(await form().getByLabel(t('th', 'applications.holidays.form.name_th'), { exact: true }).inputValue(), nameTh);
      await tab.audit();
    });

    await step('adds it next year in the Buddhist era: listed, with the change logged', async () => {
      await fill({ d: String(day.day), m: String(day.month), y: String(day.year + 543), th: nameTh, en: nameEn });
      await press(form().locator('button[data-add-holiday]'));
      assert.equal(tab.status(), 200, await main());
      assert.equal((await page.locator('.notification-banner__heading').innerText()).trim(), t('th', 'applications.holidays.done.added'));
      const row = page.locator(`[data-holiday="${day.iso}"]`);
      assert.equal(await row.count(), 1);
      assert.ok((await row.innerText()).includes(nameTh));
      assert.ok((await row.innerText()).includes(String(day.year + 543)), 'the date is not in the Buddhist era');
      assert.ok((await page.locator('section[aria-labelledby="changes-heading"]').innerText()).includes(nameTh));
      await tab.audit();
    });

    await step('removes it again', async () => {
      await press(page.locator(`[data-holiday="${day.iso}"] button[type=submit]`));
      assert.equal(tab.status(), 200, await main());
      assert.equal((await page.locator('.notification-banner__heading').innerText()).trim(), t('th', 'applications.holidays.done.removed'));
      assert.equal(await page.locator(`[data-holiday="${day.iso}"]`).count(), 0);
      await tab.audit();
    });
  } finally {
    await tab.close();
  }
});
