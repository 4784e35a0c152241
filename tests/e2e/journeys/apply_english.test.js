// The same application in English, for a foreign director of a Thai company or anyone who
// reads English better: every label, message, error and date of the journey comes in English
// (from the form's own English text and locales/en), the page says lang="en", nothing Thai is
// left in the questions, and axe-core checks every page on the way.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { launchBrowser, Tab } from '../lib/browser.js';
import { stepsOf } from '../lib/journey.js';
import { pattern, repoRoot, t } from '../lib/locales.js';
import { randomCitizenId } from '../lib/thai_id.js';

const en = (key) => t('en', key);
const fill = (key, args) => en(key).replace(/\{([a-z_]+)\}/g, (whole, name) => (name in args ? String(args[name]) : whole));
const thai = /[\u0E00-\u0E7F]/;

const form = YAML.parse(fs.readFileSync(path.join(repoRoot, 'services/dbd/company-certificate/form.yaml'), 'utf8'));
const info = YAML.parse(fs.readFileSync(path.join(repoRoot, 'services/dbd/company-certificate.yaml'), 'utf8'));
const workflow = YAML.parse(fs.readFileSync(path.join(repoRoot, 'services/dbd/company-certificate/workflow.yaml'), 'utf8'));
const fields = new Map(form.pages.flatMap((p) => p.fields).map((f) => [f.id, f]));
const label = (id) => fields.get(id).label.en;
const choice = (id, code) => fields.get(id).choices.find((c) => c.code === code).en;

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

test('an applicant requests a company certificate in English', async (journey) => {
  const tab = await Tab.open(browser, { javaScriptEnabled: false });
  const { page } = tab;
  const step = stepsOf(journey);
  const press = async (locator) => {
    await locator.click();
    await page.waitForLoadState();
  };
  const button = (key) => page.getByRole('button', { name: en(key), exact: true });
  const field = (text) => page.getByLabel(text, { exact: true });
  const person = {
    nationalId: randomCitizenId(),
    email: `e2e-english-${Date.now()}@example.org`,
    mobile: '089' + String(Math.floor(Math.random() * 1e7)).padStart(7, '0'),
    password: `Eng-${Math.random().toString(36).slice(2, 10)}-door-7`,
  };
  let id;

  try {
    await step('chooses English and registers', async () => {
      await tab.goto('/register?lang=en');
      assert.equal(await page.locator('html').getAttribute('lang'), 'en');
      await tab.audit();
      const account = (key) => field(en(`accounts.fields.${key}.label`));
      await account('national_id').fill(person.nationalId);
      await page.getByRole('combobox', { name: en('accounts.fields.title.label'), exact: true })
        .selectOption({ label: en('accounts.titles.mr') });
      await account('given_name').fill('John');
      await account('family_name').fill('Smith');
      await account('email').fill(person.email);
      await account('mobile').fill(person.mobile);
      await account('password').fill(person.password);
      await account('password_confirmation').fill(person.password);
      await press(button('accounts.register.submit'));
      assert.equal(tab.status(), 200);
      assert.match(page.url(), /\/account(\?|$)/);
      // The choice is remembered: no ?lang= from here on.
      assert.equal(await page.locator('html').getAttribute('lang'), 'en');
    });

    await step('the service page and "before you start" are in English', async () => {
      await tab.goto(`/services/${info.slug}`);
      assert.equal(tab.status(), 200);
      await page.getByRole('heading', { level: 1, name: info.name.en, exact: true }).waitFor();
      assert.equal((await page.locator('a[data-start]').innerText()).trim(), en('applications.start.button'));
      await tab.audit();
      await press(page.locator('a[data-start]'));
      await page.getByRole('heading', { level: 1, name: form.title.en, exact: true }).waitFor();
      const listed = (await page.locator('main ol li').allInnerTexts()).map((s) => s.trim());
      // The pages of questions; the declaration is asked on the check page, not listed.
      const asked = form.pages.filter((p) => !p.fields.some((f) => f.type === 'declaration'));
      assert.deepEqual(listed, asked.map((p) => p.title.en));
      await tab.audit();
      await press(page.locator('button[data-start]'));
      const match = page.url().match(/\/applications\/([0-9a-f]+)\/pages\/company$/);
      assert.ok(match, page.url());
      id = match[1];
    });

    await step('a mistake is told in English, and what was typed is kept', async () => {
      assert.ok((await page.locator('main').innerText()).includes(fill('applications.page.step', { n: 1, count: 2 })));
      const questions = await page.locator('main label, main legend').allInnerTexts();
      assert.ok(questions.length > 0);
      for (const q of questions) assert.doesNotMatch(q, thai, `a question is in Thai: ${q}`);
      await field(label('juristic_id')).fill('0105555000004');
      await field(label('requester_name')).fill('John Smith');
      await press(button('applications.page.continue'));
      assert.equal(tab.status(), 422);
      const summary = page.getByRole('alert').filter({ hasText: en('errors.summary_title') });
      await summary.waitFor({ state: 'visible' });
      assert.equal((await summary.getByRole('link').innerText()).trim(), en('applications.errors.id_check_digit'));
      assert.equal(await field(label('requester_name')).inputValue(), 'John Smith');
      assert.match(await page.title(), new RegExp('^' + en('errors.title_prefix').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
      await tab.audit();
    });

    await step('answers both pages and checks the answers, in English', async () => {
      await field(label('juristic_id')).fill('0105555000005');
      await press(button('applications.page.continue'));
      assert.equal(tab.status(), 200);
      await page.getByRole('checkbox', { name: choice('kinds', 'certificate'), exact: true }).check();
      await page.getByRole('radio', { name: choice('language', 'en'), exact: true }).check();
      await field(label('copies')).fill('2');
      await press(button('applications.page.continue'));
      assert.equal(tab.status(), 200, await page.locator('main').innerText());
      assert.match(page.url(), new RegExp(`/applications/${id}/check$`));
      await page.getByRole('heading', { level: 1, name: en('applications.check.title') }).waitFor();
      const terms = (await page.locator('.summary-list__row dt').allInnerTexts()).map((s) => s.trim());
      assert.ok(terms.includes(label('copies')), terms.join(' | '));
      for (const term of terms) assert.doesNotMatch(term, thai, `an answer is labelled in Thai: ${term}`);
      await tab.audit();
    });

    await step('sends: the confirmation gives the reference and the due date in English', async () => {
      await page.getByRole('checkbox', { name: en('applications.page.declaration_agree'), exact: true }).check();
      await press(page.locator('button[data-submit-once]'));
      assert.match(page.url(), new RegExp(`/applications/${id}/confirmation$`));
      await page.getByRole('heading', { level: 1, name: en('applications.confirmation.title') }).waitFor();
      const reference = (await page.locator('[data-reference]').innerText()).trim();
      assert.match(reference, /^DBD-\d{4}-\d{6}-[0-9A-Z]$/);
      const due = (await page.locator('[data-due-date]').innerText()).trim();
      assert.match(due, pattern('en', info.time_limit_working_days === 1
        ? 'applications.confirmation.due_one' : 'applications.confirmation.due'));
      assert.doesNotMatch(due, thai, `the due date is in Thai: ${due}`);
      await tab.audit();

      await press(page.getByRole('link', { name: en('applications.confirmation.list_link'), exact: true }));
      assert.equal(tab.status(), 200);
      const card = page.locator('[data-submitted] li').filter({ hasText: reference });
      assert.equal(await card.count(), 1);
      assert.ok((await card.innerText()).includes(workflow.states.find((state) => state.id === workflow.initial).label.en));
      await tab.audit();
    });
  } finally {
    await tab.close();
  }
});
