// Applying for a service, as an applicant does it: open the service page, start, answer page
// by page (mistakes come back with 422 and what was typed), check the answers, change one,
// accept the declaration and send, then find the application in "My applications" with its
// reference and timeline. Also: carrying on with a draft on another device, a double-clicked
// or repeated send that submits once, and the change-of-address form's address lists and
// group of people without JavaScript. Each journey registers its own applicant, because
// starting a service one already has a draft for reopens that draft.
// axe-core checks every page on the way.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { launchBrowser, Tab } from '../lib/browser.js';
import { stepsOf } from '../lib/journey.js';
import { pattern, repoRoot, t } from '../lib/locales.js';
import { randomCitizenId } from '../lib/thai_id.js';

// A juristic person number with a correct check digit (the citizen ID's mod-11 rule), and the
// same with the last digit wrong.
const juristicId = '0105555000005';
const wrongJuristicId = '0105555000004';

/** A service of the demo catalogue and its form, read from services/ so the tests follow them. */
function service(agency, slug) {
  const read = (file) => YAML.parse(fs.readFileSync(path.join(repoRoot, 'services', agency, file), 'utf8'));
  const info = read(`${slug}.yaml`);
  const form = read(`${slug}/form.yaml`);
  const workflow = read(`${slug}/workflow.yaml`);
  // Questions by id; a group's own by "group.id".
  const fields = new Map();
  const collect = (list, prefix) => {
    for (const f of list) {
      fields.set(prefix + f.id, f);
      if (f.fields) collect(f.fields, `${f.id}.`);
    }
  };
  for (const p of form.pages) collect(p.fields, '');
  return {
    slug,
    name: info.name.th,
    days: info.time_limit_working_days,
    title: form.title.th,
    /** A question's Thai label. */
    label: (id) => fields.get(id).label.th,
    /** The Thai label of one of a question's choices. */
    choice: (id, code) => fields.get(id).choices.find((c) => c.code === code).th,
    /** The Thai title of a page. */
    pageTitle: (id) => form.pages.find((p) => p.id === id).title.th,
    /** The Thai name of one item of a group ("person"). */
    itemLabel: (id) => fields.get(id).item_label.th,
    /** The status a state of its workflow shows, in Thai. */
    status: (state) => workflow.states.find((s) => s.id === state).label.th,
  };
}

const certificate = service('dbd', 'company-certificate');
const changeOfAddress = service('dopa', 'change-of-address');

/** A picture by its first bytes (PNG or JPEG), `size` bytes long: files are judged by content. */
function picture(size, kind = 'png') {
  const head = kind === 'png'
    ? Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
    : Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00]);
  const body = Buffer.alloc(size - head.length);
  for (let i = 0; i < body.length; i += 1) body[i] = (i * 7919 + size) % 251;
  return Buffer.concat([head, body]);
}

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** `t` with its "{name}" placeholders filled. */
function tf(key, args) {
  return t('th', key).replace(/\{([a-z_]+)\}/g, (whole, name) => (name in args ? String(args[name]) : whole));
}

const digits = (text) => text.replace(/\D/g, '');

/** This year in the Buddhist Era, as a reference number carries it (the date in Thailand). */
function buddhistYear() {
  const year = new Intl.DateTimeFormat('en', { timeZone: 'Asia/Bangkok', year: 'numeric' }).format(new Date());
  return Number(year) + 543;
}

/** Whether a reference's last character is its ISO/IEC 7064 MOD 37,36 check character. */
function hasValidCheckCharacter(reference) {
  const value = (c) => parseInt(c, 36);
  const body = reference.slice(0, -1).replace(/[^0-9A-Z]/g, '');
  let product = 36;
  for (const c of body) {
    const sum = (product + value(c)) % 36 || 36;
    product = (sum * 2) % 37;
  }
  return (product + value(reference.at(-1))) % 36 === 1;
}

/** Checks a reference such as DBD-2569-000001-X: agency, year, sequence, check character. */
function assertWellFormedReference(reference, agency) {
  const match = reference.match(/^([A-Z]+)-(\d{4})-(\d{6})-([0-9A-Z])$/);
  assert.ok(match, `"${reference}" is not a reference like DBD-2569-000001-X`);
  assert.equal(match[1], agency.toUpperCase());
  assert.equal(Number(match[2]), buddhistYear(), `the year in ${reference} is not this Buddhist year`);
  assert.ok(hasValidCheckCharacter(reference), `the check character of ${reference} is wrong`);
}

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

/** A new applicant, with a fresh national ID, email and mobile number. */
function newPerson(tag) {
  return {
    nationalId: randomCitizenId(),
    givenName: 'สมศรี',
    familyName: 'ยื่นคำขอ',
    email: `e2e-apply-${tag}-${Date.now()}@example.org`,
    mobile: '089' + String(Math.floor(Math.random() * 1e7)).padStart(7, '0'),
    password: `Apl-${Math.random().toString(36).slice(2, 10)}-ประตู-5`,
  };
}

/** What a journey does on every page: the page's parts and the common moves of an applicant. */
function applicant(tab) {
  const { page } = tab;
  const api = {
    main: () => page.locator('main').innerText(),
    button: (key) => page.getByRole('button', { name: t('th', key), exact: true }),
    field: (label) => page.getByLabel(label, { exact: true }),
    checkbox: (name) => page.getByRole('checkbox', { name, exact: true }),
    radio: (name) => page.getByRole('radio', { name, exact: true }),
    errorSummary: () => page.getByRole('alert').filter({ hasText: t('th', 'errors.summary_title') }),

    /** Clicks and waits for the page the click leads to. */
    async press(locator) {
      await locator.click();
      await page.waitForLoadState();
    },

    /** Registers `person`, who lands logged in on their account page. */
    async register(person) {
      await tab.goto('/register');
      await tab.audit();
      const field = (key) => api.field(t('th', `accounts.fields.${key}.label`));
      await field('national_id').fill(person.nationalId);
      await page.getByRole('combobox', { name: t('th', 'accounts.fields.title.label'), exact: true })
        .selectOption({ label: t('th', 'accounts.titles.mrs') });
      await field('given_name').fill(person.givenName);
      await field('family_name').fill(person.familyName);
      await field('email').fill(person.email);
      await field('mobile').fill(person.mobile);
      await field('password').fill(person.password);
      await field('password_confirmation').fill(person.password);
      await api.press(api.button('accounts.register.submit'));
      assert.equal(tab.status(), 200, `registering answered ${tab.status()}: ${await api.main()}`);
      assert.match(page.url(), /\/account(\?|$)/);
      await tab.audit();
    },

    /** Logs in on the login page on screen; the page asked for before comes next. */
    async logIn(person) {
      assert.match(page.url(), /\/login(\?|$)/);
      await tab.audit();
      await api.field(t('th', 'accounts.fields.login.label')).fill(person.nationalId);
      await api.field(t('th', 'accounts.fields.login_password.label')).fill(person.password);
      await api.press(api.button('accounts.login.submit'));
      assert.equal(tab.status(), 200, `logging in answered ${tab.status()}: ${await api.main()}`);
    },

    /** From "before you start", presses Start; returns the draft's id (the page is its first). */
    async start(svc) {
      await tab.goto(`/services/${svc.slug}/apply`);
      assert.equal(tab.status(), 200);
      await tab.audit();
      await api.press(page.locator('button[data-start]'));
      const match = page.url().match(/\/applications\/([0-9a-f]+)\/pages\/[a-z_]+$/);
      assert.ok(match, `Start led to ${page.url()}, not a page of the draft`);
      assert.equal(tab.status(), 200);
      return match[1];
    },

    /** Answers the company certificate's first page and moves on; lands on the second. */
    async fillCompany(name = 'บริษัท ทดสอบ จำกัด') {
      assert.match(page.url(), /\/pages\/company/);
      await api.field(certificate.label('juristic_id')).fill(juristicId);
      await api.field(certificate.label('requester_name')).fill(name);
      await api.press(api.button('applications.page.continue'));
      assert.equal(tab.status(), 200, `page 1 answered ${tab.status()}: ${await api.main()}`);
      assert.match(page.url(), /\/pages\/request$/);
    },

    /** Answers the second page (a certificate and the shareholders, in English, 3 copies). */
    async fillRequest(copies = '3') {
      await api.checkbox(certificate.choice('kinds', 'certificate')).check();
      await api.checkbox(certificate.choice('kinds', 'shareholders')).check();
      await api.radio(certificate.choice('language', 'en')).check();
      await api.field(certificate.label('copies')).fill(copies);
      await api.press(api.button('applications.page.continue'));
    },

    /** The declaration's box on the check page. */
    declaration: () => api.checkbox(t('th', 'applications.page.declaration_agree')),
    sendButton: () => page.locator('button[data-submit-once]'),

    /** On the check page: ticks the declaration, sends, lands on the confirmation; its reference. */
    async acceptAndSend() {
      assert.match(page.url(), /\/(check|submit)$/);
      await api.declaration().check();
      await api.press(api.sendButton());
      assert.match(page.url(), /\/applications\/[0-9a-f]+\/confirmation$/);
      assert.equal(tab.status(), 200);
      return (await page.locator('[data-reference]').innerText()).trim();
    },

    /** The value shown on the check page (or an application's page) for the question `key`. */
    answer: (key) => page.locator('.summary-list__row')
      .filter({ has: page.locator('dt', { hasText: new RegExp(`^${escapeRegExp(key)}$`) }) })
      .locator('.summary-list__value'),

    /** "My applications", from the link in the navigation. */
    async myApplications() {
      await api.press(page.getByRole('navigation', { name: t('th', 'layout.nav_label') })
        .getByRole('link', { name: t('th', 'layout.nav_applications'), exact: true }));
      assert.match(page.url(), /\/applications(\?|$)/);
      assert.equal(tab.status(), 200);
      await tab.audit();
    },

    /** The cards of "My applications" for a service, among drafts or submitted ones. */
    cards: (list, svc) => page.locator(`[data-${list}] li`)
      .filter({ has: page.getByRole('link', { name: svc.name, exact: true }) }),
  };
  return api;
}

// The company certificate, start to confirmation: once with JavaScript and once without.
for (const javaScriptEnabled of [true, false]) {
  const mode = javaScriptEnabled ? 'on' : 'off';

  test(`an applicant requests a company certificate in Thai with JavaScript ${mode}`, async (journey) => {
    const tab = await Tab.open(browser, { javaScriptEnabled });
    const { page } = tab;
    const you = applicant(tab);
    const person = newPerson(`certificate-${mode}`);
    const name = 'บริษัท ประตูทดสอบ จำกัด';
    const newName = 'บริษัท ประตูทดสอบ (ประเทศไทย) จำกัด';
    let id;
    let reference;
    const step = stepsOf(journey);

    try {
      await step('registers as a new applicant', () => you.register(person));

      await step('opens the service page and follows "Start now" to what will be asked', async () => {
        const response = await tab.goto(`/services/${certificate.slug}`);
        assert.equal(response.status(), 200);
        await tab.audit();
        const start = page.locator('a[data-start]');
        assert.equal((await start.innerText()).trim(), t('th', 'applications.start.button'));
        await you.press(start);
        assert.match(page.url(), new RegExp(`/services/${certificate.slug}/apply$`));
        assert.equal(tab.status(), 200);
        await page.getByRole('heading', { level: 1, name: certificate.title, exact: true }).waitFor();
        // The pages of questions are listed; the declaration is asked at the end, not listed.
        const listed = (await page.locator('main ol li').allInnerTexts()).map((s) => s.trim());
        assert.deepEqual(listed, [certificate.pageTitle('company'), certificate.pageTitle('request')]);
        await tab.audit();
      });

      await step('starts: a draft opens on page 1 of 2 with the mobile number from the profile', async () => {
        await you.press(page.locator('button[data-start]'));
        const match = page.url().match(/\/applications\/([0-9a-f]+)\/pages\/company$/);
        assert.ok(match, `Start led to ${page.url()}`);
        id = match[1];
        assert.equal(tab.status(), 200);
        assert.ok((await you.main()).includes(tf('applications.page.step', { n: 1, count: 2 })));
        assert.equal(digits(await you.field(certificate.label('mobile')).inputValue()), person.mobile,
          'the mobile number is not taken from the profile');
        assert.equal(await you.field(certificate.label('juristic_id')).inputValue(), '');
        await tab.audit();
      });

      await step('a juristic ID with a wrong check digit: 422, a summary linking to it, what was typed kept', async () => {
        const juristic = you.field(certificate.label('juristic_id'));
        await juristic.fill(wrongJuristicId);
        await you.field(certificate.label('requester_name')).fill(name);
        await you.press(you.button('applications.page.continue'));

        assert.equal(tab.status(), 422, 'a wrong check digit must re-render the page with HTTP 422');
        assert.match(page.url(), /\/pages\/company$/);
        assert.match(await page.title(), new RegExp('^' + escapeRegExp(t('th', 'errors.title_prefix'))));
        const summary = you.errorSummary();
        await summary.waitFor({ state: 'visible' });
        if (javaScriptEnabled) {
          assert.equal(await page.locator('.error-summary:focus').count(), 1, 'the error summary is not focused');
        }
        const links = summary.getByRole('link');
        assert.equal(await links.count(), 1, `one problem expected: ${await summary.innerText()}`);
        assert.equal((await links.innerText()).trim(), t('th', 'applications.errors.id_check_digit'));
        assert.equal(await links.getAttribute('href'), `#${await juristic.getAttribute('id')}`);
        assert.equal(await juristic.getAttribute('aria-invalid'), 'true');

        assert.equal(await juristic.inputValue(), wrongJuristicId);
        assert.equal(await you.field(certificate.label('requester_name')).inputValue(), name);
        assert.equal(digits(await you.field(certificate.label('mobile')).inputValue()), person.mobile);
        await tab.audit();

        await links.click();
        assert.equal(await page.locator('input:focus').getAttribute('id'), await juristic.getAttribute('id'),
          'following the summary link does not focus the juristic ID');
      });

      await step('corrects the ID and moves on to page 2 of 2', async () => {
        await you.field(certificate.label('juristic_id')).fill(juristicId);
        await you.press(you.button('applications.page.continue'));
        assert.equal(tab.status(), 200, await you.main());
        assert.match(page.url(), new RegExp(`/applications/${id}/pages/request$`));
        assert.ok((await you.main()).includes(tf('applications.page.step', { n: 2, count: 2 })));
        await tab.audit();
      });

      await step('asks for too many copies: 422, and the boxes and choice are kept', async () => {
        await you.fillRequest('25');
        assert.equal(tab.status(), 422);
        const summary = you.errorSummary();
        assert.equal((await summary.getByRole('link').allInnerTexts()).map((s) => s.trim()).join('|'),
          tf('applications.errors.too_large', { max: 20 }));
        const kind = (code) => you.checkbox(certificate.choice('kinds', code));
        assert.ok(await kind('certificate').isChecked());
        assert.ok(await kind('shareholders').isChecked());
        assert.ok(!(await kind('objectives').isChecked()));
        assert.ok(await you.radio(certificate.choice('language', 'en')).isChecked());
        assert.equal(await you.field(certificate.label('copies')).inputValue(), '25');
        await tab.audit();
      });

      await step('corrects the number and reaches the check page, which shows every answer', async () => {
        await you.field(certificate.label('copies')).fill('3');
        await you.press(you.button('applications.page.continue'));
        assert.equal(tab.status(), 200, await you.main());
        assert.match(page.url(), new RegExp(`/applications/${id}/check$`));
        await page.getByRole('heading', { level: 1, name: t('th', 'applications.check.title') }).waitFor();
        assert.equal(digits(await you.answer(certificate.label('juristic_id')).innerText()), juristicId);
        assert.equal((await you.answer(certificate.label('requester_name')).innerText()).trim(), name);
        assert.equal(digits(await you.answer(certificate.label('mobile')).innerText()), person.mobile);
        assert.equal((await you.answer(certificate.label('kinds')).innerText()).trim(),
          `${certificate.choice('kinds', 'certificate')}, ${certificate.choice('kinds', 'shareholders')}`);
        assert.equal((await you.answer(certificate.label('language')).innerText()).trim(), certificate.choice('language', 'en'));
        assert.equal((await you.answer(certificate.label('copies')).innerText()).trim(), '3');
        assert.equal(await you.declaration().isChecked(), false, 'the declaration is ticked before the person ticks it');
        await tab.audit();
      });

      await step('changes the name from the check page and comes back to it', async () => {
        await you.press(page.getByRole('link', {
          name: `${t('th', 'applications.check.change')} ${certificate.label('requester_name')}`, exact: true,
        }));
        assert.match(page.url(), new RegExp(`/applications/${id}/pages/company\\?return=check#requester_name$`));
        assert.equal(tab.status(), 200);
        assert.equal(await you.field(certificate.label('requester_name')).inputValue(), name);
        assert.match(await page.getByRole('link', { name: t('th', 'applications.page.back'), exact: true })
          .getAttribute('href'), new RegExp(`/applications/${id}/check$`));
        await tab.audit();
        await you.field(certificate.label('requester_name')).fill(newName);
        await you.press(you.button('applications.page.continue'));
        assert.equal(tab.status(), 200, await you.main());
        assert.match(page.url(), new RegExp(`/applications/${id}/check$`), 'saving did not return to the check page');
        assert.equal((await you.answer(certificate.label('requester_name')).innerText()).trim(), newName);
        await tab.audit();
      });

      await step('sends without ticking the declaration: 422 and a summary linking to it', async () => {
        await you.press(you.sendButton());
        assert.equal(tab.status(), 422);
        const summary = you.errorSummary();
        await summary.waitFor({ state: 'visible' });
        const link = summary.getByRole('link', { name: t('th', 'applications.errors.declaration_required'), exact: true });
        assert.equal(await link.count(), 1, await summary.innerText());
        assert.equal(await link.getAttribute('href'), `#${await you.declaration().getAttribute('id')}`);
        assert.equal(await you.declaration().isChecked(), false);
        // Still the check page, with the answers.
        assert.equal((await you.answer(certificate.label('requester_name')).innerText()).trim(), newName);
        await tab.audit();
      });

      await step('ticks the declaration and sends: a confirmation with a reference and a due date', async () => {
        reference = await you.acceptAndSend();
        assert.match(page.url(), new RegExp(`/applications/${id}/confirmation$`));
        await page.getByRole('heading', { level: 1, name: t('th', 'applications.confirmation.title') }).waitFor();
        assertWellFormedReference(reference, 'dbd');
        const due = (await page.locator('[data-due-date]').innerText()).trim();
        const dueKey = certificate.days === 1 ? 'due_one' : 'due';
        assert.match(due, pattern('th', `applications.confirmation.${dueKey}`));
        assert.match(due, /25\d\d/, `the due date "${due}" has no Buddhist-Era year`);
        const again = page.getByRole('status').filter({ hasText: pattern('th', 'applications.confirmation.again') });
        assert.equal(await again.count(), 0, 'a first send is called a repeat');
        await tab.audit();
      });

      await step('"My applications" lists it as submitted, with its reference, and no draft left', async () => {
        await you.press(page.getByRole('link', { name: t('th', 'applications.confirmation.list_link'), exact: true }));
        assert.match(page.url(), /\/applications$/);
        assert.equal(tab.status(), 200);
        const submitted = you.cards('submitted', certificate);
        assert.equal(await submitted.count(), 1);
        assert.ok((await submitted.innerText()).includes(reference));
        assert.ok((await submitted.innerText()).includes(certificate.status('submitted')));
        assert.equal(await you.cards('drafts', certificate).count(), 0, 'the sent application is still a draft');
        await tab.audit();
      });

      await step('the application page shows its status and a timeline: started, then sent', async () => {
        await you.press(you.cards('submitted', certificate).getByRole('link'));
        assert.match(page.url(), new RegExp(`/applications/${id}$`));
        assert.equal(tab.status(), 200);
        await page.getByRole('heading', { level: 1, name: tf('applications.show.title', { reference }) }).waitFor();
        assert.equal((await page.locator('[data-status]').innerText()).trim(), certificate.status('submitted'));
        const events = page.locator('[data-timeline] li');
        assert.equal(await events.count(), 2, await page.locator('[data-timeline]').innerText());
        assert.ok((await events.nth(0).innerText()).includes(t('th', 'applications.timeline.started')));
        assert.ok((await events.nth(1).innerText()).includes(t('th', 'applications.timeline.submitted')));
        assert.equal((await you.answer(certificate.label('requester_name')).innerText()).trim(), newName);
        await tab.audit();
      });

      await step('the receipt to keep or print names the application, its status and its due date', async () => {
        await tab.goto(`/applications/${id}/receipt`);
        assert.equal(tab.status(), 200);
        await page.getByRole('heading', { level: 1, name: t('th', 'applications.receipt.title') }).waitFor();
        assert.equal((await page.locator('[data-reference]').innerText()).trim(), reference);
        const main = await you.main();
        assert.ok(main.includes(certificate.status('submitted')), main);
        assert.match(main, /25\d\d/, 'no Buddhist-Era date on the receipt');
        assert.equal(await page.getByRole('button', { name: t('th', 'applications.receipt.print') }).count(), 1);
        await tab.audit();
      });

      await step('a sent application can no longer be changed: its pages lead to it', async () => {
        await tab.goto(`/applications/${id}/pages/company`);
        assert.match(page.url(), new RegExp(`/applications/${id}$`));
        await tab.goto(`/applications/${id}/check`);
        assert.match(page.url(), new RegExp(`/applications/${id}$`));
        assert.equal((await page.locator('[data-status]').innerText()).trim(), certificate.status('submitted'));
      });
    } finally {
      await tab.close();
    }
  });
}

test('an applicant starts on one device and carries on on another', async (journey) => {
  const person = newPerson('resume');
  const name = 'ห้างหุ้นส่วนจำกัด ทดสอบต่อเครื่อง';
  let id;
  const step = stepsOf(journey);

  await step('on the first device: answers page 1, then saves and comes back later', async () => {
    const tab = await Tab.open(browser, { javaScriptEnabled: true });
    const { page } = tab;
    try {
      const you = applicant(tab);
      await you.register(person);
      id = await you.start(certificate);
      await tab.audit();
      await you.field(certificate.label('juristic_id')).fill(juristicId);
      await you.field(certificate.label('requester_name')).fill(name);
      await you.press(you.button('applications.page.save_and_exit'));
      assert.match(page.url(), new RegExp(`/applications\\?saved=${id}$`));
      assert.equal(tab.status(), 200);
      const banner = page.getByRole('alert', { name: t('th', 'applications.list.saved_title') });
      assert.ok((await banner.innerText()).includes(tf('applications.list.saved', { service: certificate.name })),
        `no notice that the answers were saved: ${await you.main()}`);
      await tab.audit();
    } finally {
      await tab.close();
    }
  });

  const tab = await Tab.open(browser, { javaScriptEnabled: true });
  const { page } = tab;
  const you = applicant(tab);
  try {
    await step('on a new device: "My applications" asks to log in first', async () => {
      await tab.goto('/applications');
      assert.match(page.url(), /\/login\?next=/);
      await you.logIn(person);
      assert.match(page.url(), /\/applications$/);
      await tab.audit();
    });

    await step('the draft is listed with its progress, and nothing as sent', async () => {
      const drafts = you.cards('drafts', certificate);
      assert.equal(await drafts.count(), 1);
      assert.ok((await drafts.innerText()).includes(tf('applications.list.progress', { done: 1, count: 2 })),
        `no progress "1 of 2" in: ${await drafts.innerText()}`);
      assert.equal(await page.locator('[data-submitted]').count(), 0);
    });

    await step('opening it lands on page 2, the first unanswered, and page 1 kept its answers', async () => {
      await you.press(you.cards('drafts', certificate).getByRole('link'));
      assert.match(page.url(), new RegExp(`/applications/${id}/pages/request$`));
      assert.equal(tab.status(), 200);
      assert.equal(await you.field(certificate.label('copies')).inputValue(), '');
      await tab.audit();
      await you.press(page.getByRole('link', { name: t('th', 'applications.page.back'), exact: true }));
      assert.match(page.url(), new RegExp(`/applications/${id}/pages/company$`));
      assert.equal(await you.field(certificate.label('juristic_id')).inputValue(), juristicId);
      assert.equal(await you.field(certificate.label('requester_name')).inputValue(), name);
      assert.equal(digits(await you.field(certificate.label('mobile')).inputValue()), person.mobile);
      await tab.audit();
    });

    await step('typing saves by itself and says so; a save that fails is a clear warning', async () => {
      await tab.goto(`/applications/${id}/pages/request`);
      const status = page.locator('[data-save-status]');
      const copies = you.field(certificate.label('copies'));
      await page.route('**/pages/request', (route) =>
        route.request().method() === 'POST' ? route.abort() : route.continue());
      await copies.fill('3');
      await page.locator('[data-save-status][role=alert]').waitFor({ timeout: 10000 });
      assert.equal((await status.innerText()).trim(), t('th', 'applications.page.save_failed'));
      await tab.audit();
      await page.unrouteAll({ behavior: 'ignoreErrors' });
      await copies.fill('4');
      await page.waitForFunction(() => !document.querySelector('[data-save-status]').hasAttribute('role'),
        null, { timeout: 10000 });
      const savedPrefix = t('th', 'applications.page.saved_at').split('{time}')[0];
      assert.ok((await status.innerText()).startsWith(savedPrefix), `not saved: ${await status.innerText()}`);
      await tab.goto(`/applications/${id}/pages/request`);
      assert.equal(await you.field(certificate.label('copies')).inputValue(), '4');
    });
  } finally {
    await tab.close();
  }
});

test('an applicant who sends twice has sent once', async (journey) => {
  const tab = await Tab.open(browser, { javaScriptEnabled: true });
  const { page } = tab;
  const you = applicant(tab);
  const person = newPerson('twice');
  const references = [];
  let id;
  let keptCheckPage;
  let other;
  const step = stepsOf(journey);

  /** From Start to the check page of a new draft; keeps the page as it came. */
  async function toCheckPage() {
    id = await you.start(certificate);
    await tab.audit();
    await you.fillCompany();
    await you.fillRequest();
    assert.equal(tab.status(), 200, await you.main());
    assert.match(page.url(), new RegExp(`/applications/${id}/check$`));
    keptCheckPage = await tab.lastDocument.body();
    await tab.audit();
  }

  /** The references of the sent company certificates in "My applications". */
  async function sentReferences() {
    await you.myApplications();
    assert.equal(await you.cards('drafts', certificate).count(), 0, 'a sent application is still a draft');
    const cards = await you.cards('submitted', certificate).allInnerTexts();
    return cards.map((text) => text.match(/[A-Z]+-\d{4}-\d{6}-[0-9A-Z]/)?.[0]);
  }

  const keyOf = (request) => new URLSearchParams(request.postData()).get('submission_key');

  try {
    await step('registers', () => you.register(person));

    await step('double-clicks "Accept and send" on a slow connection: sent once, one confirmation', async () => {
      await toCheckPage();
      await you.declaration().check();
      // Chromium drops a second click that comes before the first send has left, so the
      // first send reaches Pratu and its answer is held back until the second click has gone.
      // The page's script sends nothing on the second click; without it the server's one-time
      // key does the same work (the steps below send a kept page again).
      const sent = [];
      let reachedPratu;
      let release;
      const firstArrived = new Promise((resolve) => { reachedPratu = resolve; });
      const released = new Promise((resolve) => { release = resolve; });
      await page.route('**/submit', async (route) => {
        sent.push(route.request());
        if (sent.length > 1) return route.continue();
        const response = await route.fetch({ maxRedirects: 0 });
        reachedPratu(response.status());
        await released;
        await route.fulfill({ response });
      });
      // Clicks where the button is, as a person does, without waiting for a page in between.
      await you.sendButton().scrollIntoViewIfNeeded();
      const box = await you.sendButton().boundingBox();
      const [x, y] = [box.x + box.width / 2, box.y + box.height / 2];
      try {
        await page.mouse.click(x, y);
        const noSend = new Promise((resolve) => { setTimeout(resolve, 15000, 'no send within 15 s'); });
        assert.equal(await Promise.race([firstArrived, noSend]), 303, 'the first send was not accepted');
        await page.mouse.click(x, y);
        await page.waitForTimeout(1000);
        assert.equal(sent.length, 1, 'the second click sent the application again');
        release();
        await page.waitForURL(/\/confirmation(\?|$)/);
        await page.waitForLoadState();
      } finally {
        release();
        await page.unrouteAll({ behavior: 'ignoreErrors' });
      }
      // The second send carried the same key: not told that it was sent before.
      assert.match(page.url(), new RegExp(`/applications/${id}/confirmation$`));
      const reference = (await page.locator('[data-reference]').innerText()).trim();
      assertWellFormedReference(reference, 'dbd');
      references.push(reference);
      await tab.audit();
    });

    await step('"My applications" lists exactly one sent application', async () => {
      assert.deepEqual(await sentReferences(), references);
    });

    await step('starts again, opens the check page in a second tab too, and sends from the first', async () => {
      await toCheckPage();
      other = await tab.context.newPage();
      await other.goto(page.url());
      references.push(await you.acceptAndSend());
      assert.match(page.url(), new RegExp(`/applications/${id}/confirmation$`));
      assert.notEqual(references[1], references[0], 'a new application got the old reference');
    });

    await step('goes back: the sent application is shown, not its form', async () => {
      await page.goBack();
      await page.waitForLoadState();
      assert.match(page.url(), new RegExp(`/applications/${id}$`));
      await page.getByRole('heading', { level: 1, name: tf('applications.show.title', { reference: references[1] }) }).waitFor();
      assert.equal(await you.sendButton().count(), 0);
      await tab.audit();
    });

    await step('sends the same page again, as a browser that kept it would: the same confirmation', async () => {
      await page.route(`**/applications/${id}/check`, (route) =>
        route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: keptCheckPage }), { times: 1 });
      await tab.goto(`/applications/${id}/check`);
      await you.declaration().check();
      await you.press(you.sendButton());
      assert.match(page.url(), new RegExp(`/applications/${id}/confirmation$`), 'the same key is called a repeat');
      assert.equal((await page.locator('[data-reference]').innerText()).trim(), references[1]);
    });

    await step('sends from the second tab: the same confirmation, saying it was sent before', async () => {
      const agree = t('th', 'applications.page.declaration_agree');
      await other.getByRole('checkbox', { name: agree, exact: true }).check();
      await other.locator('button[data-submit-once]').click();
      await other.waitForURL(new RegExp(`/applications/${id}/confirmation\\?again=1$`));
      assert.equal((await other.locator('[data-reference]').innerText()).trim(), references[1]);
      assert.match((await other.getByRole('status').innerText()).trim(), pattern('th', 'applications.confirmation.again'));
      await other.close();
      await tab.goto(`/applications/${id}/confirmation?again=1`);
      assert.equal(tab.status(), 200);
      await tab.audit();
    });

    await step('sends a third; the connection drops with the answer on its way, and the retry gets that application', async () => {
      await toCheckPage();
      let reached;
      await page.route('**/submit', async (route) => {
        const response = await route.fetch({ maxRedirects: 0 });  // Pratu takes it...
        reached = response;
        await route.abort('connectionreset');                    // ...the answer is lost
      }, { times: 1 });
      await you.declaration().check();
      const failed = page.waitForEvent('requestfailed', (request) => request.url().endsWith('/submit'));
      await you.sendButton().click({ noWaitAfter: true });
      await failed;
      assert.equal(reached.status(), 303);
      assert.match(reached.headers().location, new RegExp(`/applications/${id}/confirmation$`));
      // The retry: the same page sent again, as the browser kept it (its key included).
      await page.route(`**/applications/${id}/check`, (route) =>
        route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: keptCheckPage }), { times: 1 });
      await tab.goto(`/applications/${id}/check`);
      references.push(await you.acceptAndSend());
      assert.match(page.url(), new RegExp(`/applications/${id}/confirmation$`));
      assert.equal(new Set(references).size, 3, 'the retry got an earlier application');
      await tab.audit();
    });

    await step('"My applications" lists the three applications, each once', async () => {
      assert.deepEqual((await sentReferences()).sort(), [...references].sort());
    });
  } finally {
    await tab.close();
  }
});

test('an applicant gives a change of address without JavaScript: address lists and people moving', async (journey) => {
  const tab = await Tab.open(browser, { javaScriptEnabled: false });
  const { page } = tab;
  const you = applicant(tab);
  const person = newPerson('move');
  const form = changeOfAddress;
  const step = stepsOf(journey);
  // From datasets/thai-address: Chiang Mai › Mueang Chiang Mai › Hai Ya (50100), and
  // Bangkok › Phra Nakhon › Phra Borom Maha Ratchawang (10200).
  const newPlace = {
    province: 'เชียงใหม่', district: 'เมืองเชียงใหม่', subdistrict: 'หายยา', postcode: '50100',
  };
  const oldPlace = {
    province: 'กรุงเทพมหานคร', district: 'พระนคร', subdistrict: 'พระบรมมหาราชวัง', postcode: '10200',
  };
  const people = [
    { name: 'นายหนึ่ง ย้ายตาม', citizenId: randomCitizenId(), relation: 'spouse' },
    { name: 'เด็กหญิงสอง ย้ายตาม', citizenId: randomCitizenId(), relation: 'child' },
  ];

  // An address is a fieldset of its own, its parts labelled alike in each.
  const address = (id) => page.locator(`fieldset[id="${id}"]`);
  const addressPart = (id, part) => address(id).getByLabel(t('th', `applications.address.${part}`), { exact: true });
  const select = (id, part) =>
    address(id).getByRole('combobox', { name: t('th', `applications.address.${part}`), exact: true });
  const update = (id) => address(id).getByRole('button', { name: t('th', 'applications.address.update'), exact: true });

  /** Chooses a place in an address's lists, pressing "Update the lists" between them. */
  async function choosePlace(id, place) {
    await select(id, 'province').selectOption({ label: place.province });
    await you.press(update(id));
    assert.equal(tab.status(), 200);
    assert.equal((await select(id, 'province').locator('option:checked').innerText()).trim(), place.province,
      'the province was forgotten');
    const districts = await select(id, 'district').locator('option').count();
    assert.ok(districts > 2, `the district list has ${districts} options after choosing ${place.province}`);
    await select(id, 'district').selectOption({ label: place.district });
    await you.press(update(id));
    const subdistricts = await select(id, 'subdistrict').locator('option').count();
    assert.ok(subdistricts > 2, `the subdistrict list has ${subdistricts} options after choosing ${place.district}`);
    await select(id, 'subdistrict').selectOption({ label: place.subdistrict });
  }

  try {
    await step('registers without JavaScript', () => you.register(person));

    await step('"before you start" names the documents; Start skips the page the profile answered', async () => {
      await tab.goto(`/services/${form.slug}`);
      assert.equal(tab.status(), 200);
      await you.press(page.locator('a[data-start]'));
      assert.match(page.url(), new RegExp(`/services/${form.slug}/apply$`));
      await page.getByRole('heading', { level: 2, name: t('th', 'applications.start.documents_heading') }).waitFor();
      await tab.audit();
      await you.press(page.locator('button[data-start]'));
      assert.match(page.url(), /\/applications\/[0-9a-f]+\/pages\/move$/);
      assert.ok((await you.main()).includes(tf('applications.page.step', { n: 2, count: 4 })));
      await tab.audit();
    });

    await step('fills the new address\'s lists one after another with "Update the lists"', async () => {
      await addressPart('new_address', 'house_no').fill('99/9');
      const districtPrompt = await select('new_address', 'district').locator('option').allInnerTexts();
      assert.deepEqual(districtPrompt.map((s) => s.trim()), [t('th', 'applications.address.choose_province_first')]);
      await choosePlace('new_address', newPlace);
      await tab.audit();
      // What was typed survived the updates.
      assert.equal(await addressPart('new_address', 'house_no').inputValue(), '99/9');
      assert.equal(await addressPart('new_address', 'postcode').inputValue(), '');
    });

    await step('saving fills in the postcode from the subdistrict; the rest of the page is asked for', async () => {
      await you.press(you.button('applications.page.continue'));
      assert.equal(tab.status(), 422);
      assert.equal(await addressPart('new_address', 'postcode').inputValue(), newPlace.postcode);
      assert.equal(await addressPart('new_address', 'house_no').inputValue(), '99/9');
      assert.equal((await select('new_address', 'subdistrict').locator('option:checked').innerText()).trim(), newPlace.subdistrict);
      const problems = await you.errorSummary().getByRole('link')
        .evaluateAll((links) => links.map((a) => a.getAttribute('href')));
      assert.ok(problems.some((href) => href.startsWith('#old_address')), `no problem with the old address: ${problems}`);
      assert.ok(!problems.some((href) => href.startsWith('#new_address')), `the new address has a problem: ${problems}`);
      await tab.audit();
    });

    await step('completes the page: the old address, the house code, the date and the reason', async () => {
      await addressPart('old_address', 'house_no').fill('1');
      await choosePlace('old_address', oldPlace);
      await you.field(form.label('new_house_number')).fill('50990123456');
      const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Bangkok' }).format(new Date()).split('-');
      await you.field(t('th', 'applications.date.day')).fill(String(Number(today[2])));
      await you.field(t('th', 'applications.date.month')).fill(String(Number(today[1])));
      await you.field(t('th', 'applications.date.year')).fill(String(Number(today[0]) + 543));
      await you.radio(form.choice('reason', 'work')).check();
      await you.press(you.button('applications.page.continue'));
      assert.equal(tab.status(), 200, await you.main());
      assert.match(page.url(), /\/pages\/household$/);
      await tab.audit();
    });

    // Each person is a region named by the group's item label and a number.
    const itemName = form.itemLabel('members');
    const items = () => page.getByRole('region', { name: new RegExp(`^${escapeRegExp(itemName)} \\d+$`) });
    const item = (n) => page.getByRole('region', { name: `${itemName} ${n}`, exact: true });
    const addButton = () =>
      page.getByRole('button', { name: tf('applications.group.add', { item: itemName }), exact: true });
    const removeButton = (n) =>
      page.getByRole('button', { name: tf('applications.group.remove', { item: itemName, n }), exact: true });

    await step('says people move too: the group is asked for, with none added yet', async () => {
      await you.field(form.label('head_citizen_id')).fill(randomCitizenId());
      await you.field(form.label('head_name')).fill('นายเจ้าบ้าน ใจดี');
      await you.radio(form.choice('others_moving', 'yes')).check();
      await you.press(you.button('applications.page.continue'));
      assert.equal(tab.status(), 422);
      assert.ok((await you.errorSummary().innerText()).includes(t('th', 'applications.errors.group_empty')));
      assert.ok((await you.main()).includes(tf('applications.group.none', { item: itemName })));
      await tab.audit();
    });

    await step('adds two people, each with their answers', async () => {
      for (const [index, someone] of people.entries()) {
        const n = index + 1;
        await you.press(addButton());
        assert.equal(tab.status(), 200);
        assert.equal(await items().count(), n);
        if (n > 1) {
          // Adding one saved what was typed for the one before.
          assert.equal(await item(n - 1).getByLabel(form.label('members.name'), { exact: true }).inputValue(), people[n - 2].name);
        }
        const card = item(n);
        await card.getByLabel(form.label('members.name'), { exact: true }).fill(someone.name);
        await card.getByLabel(form.label('members.citizen_id'), { exact: true }).fill(someone.citizenId);
        await card.getByRole('radio', { name: form.choice('members.relation', someone.relation), exact: true }).check();
      }
      await tab.audit();
    });

    await step('removes the first: the second remains, with its answers', async () => {
      await you.press(removeButton(1));
      assert.equal(tab.status(), 200);
      assert.equal(await items().count(), 1);
      const card = item(1);
      assert.equal(await card.getByLabel(form.label('members.name'), { exact: true }).inputValue(), people[1].name);
      assert.equal(await card.getByLabel(form.label('members.citizen_id'), { exact: true }).inputValue(), people[1].citizenId);
      assert.ok(await card.getByRole('radio', { name: form.choice('members.relation', people[1].relation), exact: true }).isChecked());
      await tab.audit();
    });

    await step('moves on to the documents, and cannot reach the check page before attaching them', async () => {
      await you.press(you.button('applications.page.continue'));
      assert.equal(tab.status(), 200, await you.main());
      assert.match(page.url(), /\/pages\/supporting_documents$/);
      const main = await you.main();
      assert.equal(main.split(t('th', 'applications.document.not_attached')).length - 1, 2,
        'each of the two documents should say it is not attached yet');
      await tab.audit();
      const id = page.url().match(/\/applications\/([0-9a-f]+)\//)[1];
      await tab.goto(`/applications/${id}/check`);
      assert.match(page.url(), new RegExp(`/applications/${id}/pages/supporting_documents\\?return=check$`));
    });

    await step('"My applications" shows the draft three pages of four done', async () => {
      await you.myApplications();
      const drafts = you.cards('drafts', form);
      assert.equal(await drafts.count(), 1);
      assert.ok((await drafts.innerText()).includes(tf('applications.list.progress', { done: 3, count: 4 })),
        await drafts.innerText());
      await you.press(drafts.getByRole('link', { name: form.name, exact: true }));
      assert.match(page.url(), /\/pages\/supporting_documents$/);
    });

    const fileInput = (id) => page.locator(`input[type=file][name="${id}"]`);
    await step('attaches both files with the page: one that is no PDF is refused, the other kept', async () => {
      await fileInput('mover_id_card').setInputFiles(
        { name: 'บัตรประชาชน.pdf', mimeType: 'application/pdf', buffer: Buffer.from('not a PDF, only words') });
      await fileInput('household_head_consent').setInputFiles(
        { name: 'consent.png', mimeType: 'image/png', buffer: picture(6000) });
      await you.press(you.button('applications.page.continue'));
      assert.equal(tab.status(), 422);
      const summary = await you.errorSummary().innerText();
      assert.ok(summary.includes(t('th', 'applications.uploads.unsupported_type')), summary);
      const main = await you.main();
      assert.ok(main.includes('consent.png'), 'the accepted file is attached');
      assert.equal(main.split(t('th', 'applications.document.not_attached')).length - 1, 1);
      await tab.audit();
    });

    await step('attaches the right file and reaches the check page, which lists both', async () => {
      await fileInput('mover_id_card').setInputFiles(
        { name: 'บัตรประชาชน.jpg', mimeType: 'image/jpeg', buffer: picture(9000, 'jpeg') });
      await you.press(you.button('applications.page.continue'));
      assert.equal(tab.status(), 200, await you.main());
      assert.match(page.url(), /\/check$/);
      assert.equal((await you.answer(form.label('mover_id_card')).innerText()).trim().startsWith('บัตรประชาชน.jpg'), true,
        await you.answer(form.label('mover_id_card')).innerText());
      assert.ok((await you.answer(form.label('household_head_consent')).innerText()).includes('consent.png'));
      const link = you.answer(form.label('mover_id_card')).getByRole('link', { name: 'บัตรประชาชน.jpg' });
      assert.match(await link.getAttribute('href'), /\/applications\/[0-9a-f]+\/documents\/mover_id_card$/);
      await tab.audit();
    });

    let id;
    await step('sends: a confirmation with its reference', async () => {
      id = page.url().match(/\/applications\/([0-9a-f]+)\//)[1];
      const reference = await you.acceptAndSend();
      assert.match(reference, /^DOPA-25\d\d-\d{6}-[A-Z0-9]$/);
      await tab.audit();
    });

    await step('the page of the sent application opens each file it carries, as it was sent', async () => {
      await tab.goto(`/applications/${id}`);
      const href = await you.answer(form.label('mover_id_card')).getByRole('link').getAttribute('href');
      assert.equal(href, `/applications/${id}/documents/mover_id_card`);
      const file = await page.request.get(new URL(href, page.url()).href);
      assert.equal(file.status(), 200);
      assert.equal(file.headers()['content-type'], 'image/jpeg');
      assert.match(file.headers()['content-security-policy'], /^sandbox; default-src 'none'/);
      assert.match(file.headers()['content-disposition'], /^inline; filename\*=UTF-8''/);
      assert.ok((await file.body()).equals(picture(9000, 'jpeg')), 'the bytes sent come back');
      await tab.audit();
    });

    await step('"My documents" lists the files, and removing one leaves the sent application whole', async () => {
      await you.myApplications();
      await you.press(page.locator('a[data-wallet-link]'));
      assert.match(page.url(), /\/documents$/);
      await page.getByRole('heading', { level: 1, name: t('th', 'applications.wallet.title'), exact: true }).waitFor();
      const names = (await page.locator('[data-wallet] li h2').allInnerTexts()).map((s) => s.trim());
      for (const name of ['บัตรประชาชน.jpg', 'consent.png']) {
        assert.ok(names.some((n) => n.startsWith(name)), `${name} is not among ${names.join(', ')}`);
      }
      await tab.audit();
      const card = page.locator('[data-wallet] li').filter({ hasText: 'บัตรประชาชน.jpg' });
      await you.press(card.getByRole('button'));
      assert.match(page.url(), /\/documents\?removed=1$/);
      await page.getByRole('alert').filter({ hasText: t('th', 'applications.wallet.removed_title') }).waitFor();
      assert.equal(await page.locator('[data-wallet] li').filter({ hasText: 'บัตรประชาชน.jpg' }).count(), 0);
      await tab.audit();
      const kept = await page.request.get(new URL(`/applications/${id}/documents/mover_id_card`, page.url()).href);
      assert.equal(kept.status(), 200);
      assert.ok((await kept.body()).equals(picture(9000, 'jpeg')), 'the sent application lost its file');
    });
  } finally {
    await tab.close();
  }
});

test('an applicant with JavaScript is told why a file is refused, and an upload waits out going offline', async (journey) => {
  const tab = await Tab.open(browser, { javaScriptEnabled: true });
  const { page } = tab;
  const you = applicant(tab);
  const person = newPerson('offline');
  const step = stepsOf(journey);
  const file = picture(1.5 * 1024 * 1024);
  const chooser = page.locator('input[type=file][name="mover_id_card"]');
  const status = page.locator('[data-document]', { has: chooser }).locator('[data-upload-status]');
  try {
    await step('registers and opens the documents page of a change of address', async () => {
      await you.register(person);
      const id = await you.start(changeOfAddress);
      await tab.goto(`/applications/${id}/pages/supporting_documents`);
      assert.equal(tab.status(), 200);
    });

    await step('a text file named like a picture is refused by its content, and the reason shows beside the question', async () => {
      await chooser.setInputFiles({ name: 'รูป.png', mimeType: 'image/png', buffer: Buffer.from('not a picture at all\n'.repeat(50)) });
      await page.locator('[data-upload-status][role=alert]').waitFor({ timeout: 15000 });
      const reason = t('th', 'applications.uploads.unsupported_type');
      assert.equal((await status.innerText()).trim(),
        t('th', 'applications.document.upload_failed').replace('{reason}', reason));
      assert.equal(await chooser.evaluate((input) => input.files.length), 0, 'the refused file stays chosen');
      const wallet = await page.evaluate(async () => (await fetch('/api/v1/wallet')).json());
      assert.equal(wallet.documents.length, 0);
      await tab.audit();
    });

    await step('the browser goes offline during the upload: the page says so, then carries on by itself', async () => {
      const patches = [];
      await page.route('**/api/v1/uploads/*', async (route) => {
        const request = route.request();
        if (request.method() === 'PATCH') patches.push(Number(request.headers()['upload-offset']));
        if (request.method() === 'PATCH' && patches.length === 1) {
          await tab.context.setOffline(true);
          await route.abort('internetdisconnected');
          return;
        }
        await route.continue();
      });
      await chooser.setInputFiles({ name: 'บัตร.png', mimeType: 'image/png', buffer: file });
      await page.locator('[data-upload-status][role=alert]').waitFor({ timeout: 15000 });
      assert.equal((await status.innerText()).trim(), t('th', 'applications.document.upload_failed')
        .replace('{reason}', t('th', 'applications.document.offline')));
      await Promise.all([
        page.waitForURL(/\/pages\/supporting_documents#mover_id_card$/, { timeout: 30000 }),
        tab.context.setOffline(false),
      ]);
      await page.unroute('**/api/v1/uploads/*');
      // The piece cut by going offline is sent again, then the rest (1 MiB pieces in tests).
      assert.deepEqual(patches, [0, 0, 1024 * 1024], `PATCH offsets: ${patches}`);
      const main = await you.main();
      assert.ok(main.includes('บัตร.png'), main);
      const wallet = await page.evaluate(async () => (await fetch('/api/v1/wallet')).json());
      assert.equal(wallet.documents.length, 1);
      assert.equal(wallet.documents[0].sha256, crypto.createHash('sha256').update(file).digest('hex'));
      await tab.audit();
    });
  } finally {
    await tab.close();
  }
});

test('an applicant with JavaScript uploads a document that survives a dropped connection', async (journey) => {
  const tab = await Tab.open(browser, { javaScriptEnabled: true });
  const { page } = tab;
  const you = applicant(tab);
  const person = newPerson('upload');
  const step = stepsOf(journey);
  // Two and a half pieces of the 1 MiB tests/e2e/pratu.yaml has the page send at a time.
  const file = picture(2.5 * 1024 * 1024);
  let id;
  try {
    await step('registers and opens the documents page of a change of address', async () => {
      await you.register(person);
      id = await you.start(changeOfAddress);
      await tab.goto(`/applications/${id}/pages/supporting_documents`);
      assert.equal(tab.status(), 200);
      await tab.audit();
    });

    await step('the page sends files with the published tus-js-client, byte for byte', async () => {
      const src = await page.locator('script[src*="/vendor/tus-js-client/"]').getAttribute('src');
      const served = await page.evaluate(async (url) => {
        const response = await fetch(url);
        return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
      }, src);
      assert.equal(served.status, 200);
      assert.match(served.type, /^text\/javascript/);
      const published = fs.readFileSync(path.join(repoRoot, 'tests/e2e/node_modules/tus-js-client/dist/tus.min.js'), 'utf8');
      assert.ok(served.text === published, 'static/vendor/tus-js-client/tus.min.js differs from the npm package');
      const pinned = JSON.parse(fs.readFileSync(path.join(repoRoot, 'tests/e2e/package.json'), 'utf8'));
      const licence = fs.readFileSync(path.join(repoRoot, 'static/vendor/tus-js-client/LICENSE.txt'), 'utf8');
      assert.ok(licence.includes(`tus-js-client ${pinned.devDependencies['tus-js-client']}`), 'LICENSE.txt names another version');
      assert.equal(await page.evaluate(() => typeof window.tus.Upload === 'function' && window.tus.isSupported), true);
    });

    await step('chooses a file: the connection drops on the second piece and the last answer is lost; the upload resumes and attaches', async () => {
      const sent = [];
      await page.route('**/api/v1/uploads**', async (route) => {
        const request = route.request();
        const method = request.method();
        sent.push({ method, offset: request.headers()['upload-offset'], by: request.resourceType() });
        const patches = sent.filter((r) => r.method === 'PATCH').length;
        if (method === 'PATCH' && patches === 2) {
          await route.abort('connectionreset');  // cut before the server hears of it
          return;
        }
        if (method === 'PATCH' && patches === 4) {
          await route.fetch();                    // the server stores the last piece...
          await route.abort('connectionreset');  // ...and its answer never comes back
          return;
        }
        await route.continue();
      });
      await Promise.all([
        page.waitForURL(/\/pages\/supporting_documents#mover_id_card$/, { timeout: 30000 }),
        page.locator('input[type=file][name="mover_id_card"]').setInputFiles(
          { name: 'บัตร-ใหญ่.png', mimeType: 'image/png', buffer: file }),
      ]);
      await page.unroute('**/api/v1/uploads**');
      // The cut piece went again from where the server's copy stopped, never from zero; after
      // the lost answer, HEAD found the upload finished and named its wallet document.
      const mib = 1024 * 1024;
      assert.deepEqual(sent.map((r) => `${r.method} ${r.offset ?? ''}`.trim()),
        ['POST', 'PATCH 0', `PATCH ${mib}`, 'HEAD', `PATCH ${mib}`, `PATCH ${2 * mib}`, 'HEAD'],
        JSON.stringify(sent));
      // tus-js-client speaks through XMLHttpRequest; the page's own code uses fetch.
      assert.ok(sent.every((r) => r.by === 'xhr'), JSON.stringify(sent));
      const main = await you.main();
      assert.ok(main.includes('บัตร-ใหญ่.png'), main);
      assert.equal(main.split(t('th', 'applications.document.not_attached')).length - 1, 1);
      await tab.audit();
    });

    await step('the wallet holds exactly the bytes chosen', async () => {
      const wallet = await page.evaluate(async () => (await fetch('/api/v1/wallet')).json());
      assert.equal(wallet.documents.length, 1);
      const sha256 = crypto.createHash('sha256').update(file).digest('hex');
      assert.equal(wallet.documents[0].sha256, sha256);
      assert.equal(wallet.documents[0].size_bytes, file.length);
      assert.equal(wallet.documents[0].media_type, 'image/png');
    });

    await step('the second question offers the same file from the wallet, without sending it again', async () => {
      const picker = page.locator('select[name="household_head_consent.wallet"]');
      assert.equal(await picker.locator('option').count(), 2);
      await picker.selectOption({ index: 1 });
      await you.press(page.locator('button[value="attach:household_head_consent"]'));
      const main = await you.main();
      assert.equal(main.split(t('th', 'applications.document.not_attached')).length - 1, 0, main);
    });
  } finally {
    await tab.close();
  }
});
