// A newcomer's journey through Pratu, as a person does it, with JavaScript on and then off:
// browse in Thai, switch to English and back, find a service, search in Thai, register (first
// with a wrong check digit, then after the cookies were cleared mid-form), log out, log in by
// ID and by email, change the password.
// axe-core checks every page on the way.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, Tab } from '../lib/browser.js';
import { stepsOf } from '../lib/journey.js';
import { t } from '../lib/locales.js';
import { randomCitizenId } from '../lib/thai_id.js';

const foodLicence = 'ใบอนุญาตจัดตั้งสถานที่จำหน่ายอาหาร';
// standards.md §4.1: s = 128, so the check digit should be 4, not 0.
const wrongCheckDigitId = '1101700203030';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A name matcher for an accessible name that contains `text`. */
function containing(text) {
  return new RegExp(escapeRegExp(text));
}

async function htmlLang(page) {
  return page.locator('html').getAttribute('lang');
}

async function mainText(page) {
  return page.locator('main').innerText();
}

for (const javaScriptEnabled of [true, false]) {
  const mode = javaScriptEnabled ? 'on' : 'off';

  test(`a newcomer's journey with JavaScript ${mode}`, async (journey) => {
    const tab = await Tab.open(browser, { javaScriptEnabled });
    const { page } = tab;
    const person = {
      nationalId: randomCitizenId(),
      title: null,
      givenName: 'สมหญิง',
      familyName: 'ทดสอบระบบ',
      email: `e2e-${Date.now()}-${mode}@example.org`,
      mobile: '081' + String(Math.floor(Math.random() * 1e7)).padStart(7, '0'),
      password: `Prt-${Math.random().toString(36).slice(2, 10)}-ประตู-9`,
      newPassword: `Nw-${Math.random().toString(36).slice(2, 10)}-ใหม่-7`,
    };

    // Each step runs only if the ones before it passed: the journey is one person's path.
    const step = stepsOf(journey);

    // The navigation links and buttons, by their words in the locale files.
    const nav = (lang) => page.getByRole('navigation', { name: t(lang, 'layout.nav_label') });
    const isLoggedIn = async (lang = 'th') =>
      (await nav(lang).getByRole('button', { name: t(lang, 'layout.nav_logout') }).count()) > 0;

    async function logOut() {
      await nav('th').getByRole('button', { name: t('th', 'layout.nav_logout') }).click();
      await page.waitForLoadState();
      assert.equal(tab.status(), 200, `after logging out the page answered ${tab.status()}`);
      assert.ok(!(await isLoggedIn()), 'still logged in after pressing the log-out button');
      await tab.audit();
    }

    async function logIn(login, password) {
      await nav('th').getByRole('link', { name: t('th', 'layout.nav_login'), exact: true }).click();
      assert.match(page.url(), /\/login/);
      await tab.audit();
      await page.getByLabel(t('th', 'accounts.fields.login.label'), { exact: true }).fill(login);
      await page.getByLabel(t('th', 'accounts.fields.login_password.label'), { exact: true }).fill(password);
      await page.getByRole('button', { name: t('th', 'accounts.login.submit') }).click();
      await page.waitForLoadState();
      assert.equal(tab.status(), 200, `logging in with ${login.includes('@') ? 'the email' : 'the national ID'} answered ${tab.status()}: ${await mainText(page).catch(() => '')}`);
      assert.ok(await isLoggedIn(), 'no log-out button after logging in');
      await tab.audit();
    }

    try {
      await step('opens the home page in Thai, with a search box', async () => {
        const response = await tab.goto('/');
        assert.equal(response.status(), 200);
        assert.equal(await htmlLang(page), 'th');
        await assert.doesNotReject(page.getByRole('heading', { level: 1 }).first().waitFor());
        assert.equal(await page.getByRole('searchbox', { name: t('th', 'catalog.search.label') }).count(), 1,
          'the home page has no search box');
        await tab.audit();
      });

      await step('switches to English with the language link, and the choice is remembered', async () => {
        const thaiText = await mainText(page);
        await nav('th').getByRole('link', { name: t('th', 'layout.switch_language'), exact: true }).click();
        await page.waitForLoadState();
        assert.equal(await htmlLang(page), 'en');
        assert.notEqual(await mainText(page), thaiText, 'the page text did not change with the language');
        assert.ok((await page.locator('body').innerText()).includes(t('en', 'site.tagline')));
        const cookies = await tab.context.cookies();
        assert.ok(cookies.some((c) => c.value === 'en'), `no cookie remembers the language: ${cookies.map((c) => c.name).join(', ')}`);
        await tab.audit();
        // Another page, reached by a plain link without ?lang=: still English.
        await nav('en').getByRole('link', { name: t('en', 'layout.nav_agencies'), exact: true }).click();
        await page.waitForLoadState();
        assert.equal(await htmlLang(page), 'en', 'the agencies page forgot the English choice');
        await tab.audit();
      });

      await step('switches back to Thai, and that is remembered too', async () => {
        await nav('en').getByRole('link', { name: t('en', 'layout.switch_language'), exact: true }).click();
        await page.waitForLoadState();
        assert.equal(await htmlLang(page), 'th');
        await tab.audit();
        await tab.goto('/');
        assert.equal(await htmlLang(page), 'th', 'the home page forgot the Thai choice');
      });

      await step('browses the agencies to a service page with its level, fees and documents', async () => {
        await nav('th').getByRole('link', { name: t('th', 'layout.nav_agencies'), exact: true }).click();
        await page.waitForLoadState();
        assert.match(page.url(), /\/agencies$/);
        await tab.audit();
        await page.locator('main a[href^="/agencies/"]').first().click();
        await page.waitForLoadState();
        assert.equal(tab.status(), 200);
        assert.match(page.url(), /\/agencies\/[^/]+$/);
        await tab.audit();
        await page.locator('main a[href^="/services/"]').first().click();
        await page.waitForLoadState();
        assert.equal(tab.status(), 200);
        assert.match(page.url(), /\/services\/[^/]+$/);
        const level = (await page.locator('main .tag').first().innerText()).trim();
        assert.match(level, /^L[0-3]$/, 'the service page shows no e-Service level tag (L0–L3)');
        // Fees and documents: each section has its heading and either a table or "none".
        for (const [title, none] of [['fees_title', 'no_fees'], ['documents_title', 'no_documents']]) {
          const section = page.getByRole('region', { name: t('th', `catalog.service.${title}`) });
          assert.equal(await section.count(), 1, `no section "${t('th', `catalog.service.${title}`)}"`);
          const rows = await section.getByRole('row').count();
          const text = await section.innerText();
          assert.ok(rows > 1 || text.includes(t('th', `catalog.service.${none}`)),
            `the section "${t('th', `catalog.service.${title}`)}" lists nothing`);
        }
        await tab.audit();
      });

      await step(`searches in Thai for "อาหาร" and finds ${foodLicence}`, async () => {
        await tab.goto('/');
        await page.getByRole('searchbox', { name: t('th', 'catalog.search.label') }).fill('อาหาร');
        await page.getByRole('search').getByRole('button', { name: t('th', 'catalog.search.button') }).click();
        await page.waitForURL(/\/search\?/);
        await page.waitForLoadState();
        assert.equal(tab.status(), 200);
        await tab.audit();
        const result = page.getByRole('link', { name: containing(foodLicence) }).first();
        await result.click();
        await page.waitForLoadState();
        assert.match(page.url(), /\/services\//);
        assert.ok((await page.getByRole('heading', { level: 1, name: containing(foodLicence) }).count()) > 0);
        await tab.audit();
      });

      const field = (key) => page.getByLabel(t('th', `accounts.fields.${key}.label`), { exact: true });

      await step('registers with a wrong check digit: 422, an error summary, and the typed values kept', async () => {
        await nav('th').getByRole('link', { name: t('th', 'layout.nav_register'), exact: true }).click();
        await page.waitForLoadState();
        assert.match(page.url(), /\/register$/);
        await tab.audit();

        await field('national_id').fill(wrongCheckDigitId);
        const title = page.getByRole('combobox', { name: t('th', 'accounts.fields.title.label'), exact: true });
        await title.selectOption({ label: t('th', 'accounts.titles.miss') });
        person.title = await title.inputValue();
        await field('given_name').fill(person.givenName);
        await field('family_name').fill(person.familyName);
        await field('email').fill(person.email);
        await field('mobile').fill(person.mobile);
        await field('password').fill(person.password);
        await field('password_confirmation').fill(person.password);
        await page.getByRole('button', { name: t('th', 'accounts.register.submit') }).click();
        await page.waitForLoadState();

        assert.equal(tab.status(), 422, 'a wrong check digit must re-render the form with HTTP 422');
        assert.match(await page.title(), new RegExp('^' + escapeRegExp(t('th', 'errors.title_prefix'))));
        const summary = page.getByRole('alert').filter({ hasText: t('th', 'errors.summary_title') });
        await summary.waitFor({ state: 'visible' });
        if (javaScriptEnabled) {
          assert.equal(await page.locator('.error-summary:focus, [role="alert"]:focus').count(), 1,
            'the error summary is not focused');
        }
        const checksumMessage = t('th', 'accounts.errors.national_id_checksum');
        const link = summary.getByRole('link', { name: containing(checksumMessage) });
        assert.equal(await link.count(), 1, `the summary has no link "${checksumMessage}"`);
        const target = (await link.getAttribute('href')).replace(/^#/, '');
        assert.equal(await field('national_id').getAttribute('id'), target,
          'the summary link does not point at the national ID field');
        assert.equal(await field('national_id').getAttribute('aria-invalid'), 'true');

        // What was typed is kept, except the passwords.
        assert.equal(await field('national_id').inputValue(), wrongCheckDigitId);
        assert.equal(await title.inputValue(), person.title);
        assert.equal(await field('given_name').inputValue(), person.givenName);
        assert.equal(await field('family_name').inputValue(), person.familyName);
        assert.equal(await field('email').inputValue(), person.email);
        assert.equal(await field('mobile').inputValue(), person.mobile);
        assert.equal(await field('password').inputValue(), '', 'the password was sent back');
        await tab.audit();

        // The link takes the person to the field.
        await link.click();
        assert.equal(await page.locator(`[id="${target}"]:focus`).count(), 1,
          'following the summary link does not focus the national ID field');
      });

      await step('the form outlives its cookies: sent anyway, it comes back with what was typed (403)', async () => {
        await page.context().clearCookies();
        await field('national_id').fill(person.nationalId);
        await field('password').fill(person.password);
        await field('password_confirmation').fill(person.password);
        await page.getByRole('button', { name: t('th', 'accounts.register.submit') }).click();
        await page.waitForLoadState();

        assert.equal(tab.status(), 403, 'a form without its CSRF cookie must be refused');
        const summary = page.getByRole('alert').filter({ hasText: t('th', 'errors.summary_title') });
        await summary.waitFor({ state: 'visible' });
        assert.equal(await summary.getByRole('link', { name: containing(t('th', 'errors.csrf')) }).count(), 1,
          'the summary does not say the form expired');
        assert.equal(await field('national_id').inputValue(), person.nationalId);
        assert.equal(await field('given_name').inputValue(), person.givenName);
        assert.equal(await field('family_name').inputValue(), person.familyName);
        assert.equal(await field('email').inputValue(), person.email);
        assert.equal(await field('mobile').inputValue(), person.mobile);
        assert.equal(await field('password').inputValue(), '', 'the password was sent back');
        assert.equal(await isLoggedIn(), false, 'an expired form registered the person');
        await tab.audit();
      });

      await step('fixes the ID, registers and lands logged in', async () => {
        await field('national_id').fill(person.nationalId);
        await field('password').fill(person.password);
        await field('password_confirmation').fill(person.password);
        await page.getByRole('button', { name: t('th', 'accounts.register.submit') }).click();
        await page.waitForLoadState();
        assert.equal(tab.status(), 200, `registering answered ${tab.status()}: ${await mainText(page)}`);
        assert.match(page.url(), /\/account(\?|$)/);
        assert.ok(await isLoggedIn(), 'not logged in after registering');
        assert.ok((await mainText(page)).includes(t('th', 'accounts.account.registered_notice')),
          'no notice that the account was created');
        await tab.audit();
      });

      await step('logs out', logOut);

      await step('logs in with the national ID', async () => {
        await logIn(person.nationalId, person.password);
        await nav('th').getByRole('link', { name: t('th', 'layout.nav_account'), exact: true }).click();
        await page.waitForLoadState();
        assert.match(page.url(), /\/account(\?|$)/);
        assert.ok((await mainText(page)).includes(person.givenName), 'the account page does not show the name');
        await tab.audit();
        await logOut();
      });

      await step('logs in with the email', async () => {
        await logIn(person.email, person.password);
      });

      await step('changes the password', async () => {
        await tab.goto('/account');
        await page.getByRole('link', { name: t('th', 'accounts.account.change_password') }).click();
        await page.waitForLoadState();
        assert.match(page.url(), /\/account\/password$/);
        await tab.audit();
        await field('current_password').fill(person.password);
        await field('new_password').fill(person.newPassword);
        await field('new_password_confirmation').fill(person.newPassword);
        await page.getByRole('button', { name: t('th', 'accounts.password.submit') }).click();
        await page.waitForLoadState();
        assert.equal(tab.status(), 200, `changing the password answered ${tab.status()}: ${await mainText(page)}`);
        assert.ok((await mainText(page)).includes(t('th', 'accounts.account.password_changed_notice')),
          'no notice that the password was changed');
        await tab.audit();
      });

      await step('logs out and logs in with the new password', async () => {
        if (await isLoggedIn()) await logOut();
        await logIn(person.nationalId, person.newPassword);
        await logOut();
      });
    } finally {
      await tab.close();
    }
  });
}
