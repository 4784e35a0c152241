// A signed document from application to revocation, with JavaScript on and then off: an
// applicant asks DBD for a company certificate; DBD's officer starts the review and approves,
// which bills the certificate's fee; the applicant opens the bill and the bank simulator pays it
// as the applicant's bank would; the server signs the certificate within seconds and the
// applicant downloads the PDF from the application page and finds it in My documents. Someone with no account opens the QR code's
// link (the holder's full name; masked without the code), checks the PDF itself (valid) and a
// copy with one byte changed (modified), and looks the number up by hand. The officer revokes
// it, first forgetting the reason; the visitor sees it revoked, with the reason, and so does
// the applicant.
// axe-core checks every page on the way.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { bankSimulator } from '../lib/bank_simulator.js';
import { launchBrowser, Tab } from '../lib/browser.js';
import { stepsOf } from '../lib/journey.js';
import { repoRoot, t } from '../lib/locales.js';
import { randomCitizenId } from '../lib/thai_id.js';

// The service, its form, workflow and document, read from services/ so the journey follows them.
const agency = 'dbd';
const slug = 'company-certificate';
const read = (file) => YAML.parse(fs.readFileSync(path.join(repoRoot, 'services', agency, file), 'utf8'));
const info = read(`${slug}.yaml`);
const form = read(`${slug}/form.yaml`);
const workflow = read(`${slug}/workflow.yaml`);
const issued = read(`${slug}/document.yaml`);
const fields = new Map(form.pages.flatMap((p) => p.fields).map((f) => [f.id, f]));
const label = (id) => fields.get(id).label.th;
const choice = (id, code) => fields.get(id).choices.find((c) => c.code === code).th;
const status = (id) => workflow.states.find((s) => s.id === id).label.th;
const transition = (id) => workflow.transitions.find((s) => s.id === id);
const fee = (code) => info.fees.find((f) => f.code === code);

// A juristic person number with a correct check digit.
const juristicId = '0105555000005';
// The demo officer of the agency (src/domains/accounts: demo_officer_email, kDemoOfficerPassword).
const officerAccount = { email: `officer.${agency}@demo.pratu.example`, password: 'pratu-demo-officer' };
const revocation = 'บริษัทแจ้งว่าหนังสือรับรองฉบับนี้สูญหาย จึงเพิกถอนและออกฉบับใหม่แทน';
// The copies asked for, and the bill for them: the certificate's fee per copy, in baht as a bill
// shows it (1,234.50).
const copies = 2;
const billTotal = (fee('certificate').amount * copies)
  .toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** A document number as DBD prints it: DBD-C-2569-000123 (prefix, Buddhist-era year, sequence). */
const numberPattern = new RegExp(`^${issued.number.prefix}-25\\d\\d-\\d{6}$`);

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

for (const javaScriptEnabled of [true, false]) {
  const mode = javaScriptEnabled ? 'on' : 'off';

  test(`a company certificate is issued, checked by anyone and revoked, with JavaScript ${mode}`, async (journey) => {
    const applicantTab = await Tab.open(browser, { javaScriptEnabled });
    const officerTab = await Tab.open(browser, { javaScriptEnabled });
    // A visitor with no account: a browser context of their own, never signed in.
    const visitorTab = await Tab.open(browser, { javaScriptEnabled });
    const you = applicantTab.page;
    const officer = officerTab.page;
    const visitor = visitorTab.page;
    const step = stepsOf(journey);
    const person = {
      nationalId: randomCitizenId(),
      givenName: 'สมใจ',
      familyName: 'ถือหนังสือ',
      email: `e2e-licence-${mode}-${Date.now()}@example.org`,
      mobile: '089' + String(Math.floor(Math.random() * 1e7)).padStart(7, '0'),
      password: `Lic-${Math.random().toString(36).slice(2, 10)}-ประตู-4`,
    };
    // The holder is whoever asked (document.yaml: holder.name is requester_name).
    const holder = `นางสาวสมใจ ถือหนังสือ ${mode === 'on' ? 'หนึ่ง' : 'สอง'}`;
    let id;
    let reference;
    let number;
    let verifyPath;
    let pdf;
    let billId;

    const press = async (page, locator) => {
      await locator.click();
      await page.waitForLoadState();
    };
    const button = (page, key) => page.getByRole('button', { name: t('th', key), exact: true });
    const main = (page) => page.locator('main').innerText();
    const errorSummary = (page) => page.getByRole('alert').filter({ hasText: t('th', 'errors.summary_title') });
    const stepForm = (transitionId) => officer.locator(`form[data-step="${transitionId}"]`);
    const result = () => visitor.locator('[data-verify-result]');

    /** The officer takes a step with its form; the page says it is done and shows the new status. */
    async function takeStep(transitionId, fill = async () => {}) {
      const stepped = stepForm(transitionId);
      assert.equal(await stepped.count(), 1, `no form for ${transitionId}: ${await main(officer)}`);
      await fill(stepped);
      await press(officer, stepped.getByRole('button', { name: transition(transitionId).label.th, exact: true }));
      assert.equal(officerTab.status(), 200, `${transitionId} answered ${officerTab.status()}: ${await main(officer)}`);
      assert.match(officer.url(), new RegExp(`/agency/applications/${id}\\?done=1$`));
      assert.equal((await officer.locator('[data-status]').innerText()).trim(), status(transition(transitionId).to));
      await officerTab.audit();
    }

    /** The visitor sends `file` with the form at /verify; the outcome it is given. */
    async function checkFile(file) {
      await visitorTab.goto('/verify');
      assert.equal(visitorTab.status(), 200);
      const upload = visitor.locator('form[data-verify-file]');
      await upload.locator('input[type=file][name="file"]').setInputFiles(file);
      await press(visitor, upload.getByRole('button', { name: t('th', 'documents.verify.check_file'), exact: true }));
      assert.equal(visitorTab.status(), 200, await main(visitor));
      const outcome = visitor.locator('[data-file-result]');
      assert.equal(await outcome.count(), 1, await main(visitor));
      await visitorTab.audit();
      return outcome;
    }

    try {
      await step('the applicant registers', async () => {
        await applicantTab.goto('/register');
        await applicantTab.audit();
        const field = (key) => you.getByLabel(t('th', `accounts.fields.${key}.label`), { exact: true });
        await field('national_id').fill(person.nationalId);
        await you.getByRole('combobox', { name: t('th', 'accounts.fields.title.label'), exact: true })
          .selectOption({ label: t('th', 'accounts.titles.miss') });
        await field('given_name').fill(person.givenName);
        await field('family_name').fill(person.familyName);
        await field('email').fill(person.email);
        await field('mobile').fill(person.mobile);
        await field('password').fill(person.password);
        await field('password_confirmation').fill(person.password);
        await press(you, button(you, 'accounts.register.submit'));
        assert.equal(applicantTab.status(), 200, await main(you));
        assert.match(you.url(), /\/account(\?|$)/);
        await applicantTab.audit();
      });

      await step('asks for a company certificate and answers both pages', async () => {
        await applicantTab.goto(`/services/${slug}/apply`);
        assert.equal(applicantTab.status(), 200);
        await applicantTab.audit();
        await press(you, you.locator('button[data-start]'));
        const match = you.url().match(/\/applications\/([0-9a-f]+)\/pages\/company$/);
        assert.ok(match, `Start led to ${you.url()}`);
        id = match[1];
        await applicantTab.audit();
        await you.getByLabel(label('juristic_id'), { exact: true }).fill(juristicId);
        await you.getByLabel(label('requester_name'), { exact: true }).fill(holder);
        await press(you, button(you, 'applications.page.continue'));
        assert.equal(applicantTab.status(), 200, await main(you));
        assert.match(you.url(), /\/pages\/request$/);
        await applicantTab.audit();
        await you.getByRole('checkbox', { name: choice('kinds', 'certificate'), exact: true }).check();
        await you.getByRole('checkbox', { name: choice('kinds', 'objectives'), exact: true }).check();
        await you.getByRole('radio', { name: choice('language', 'th'), exact: true }).check();
        await you.getByLabel(label('copies'), { exact: true }).fill(String(copies));
        await press(you, button(you, 'applications.page.continue'));
        assert.equal(applicantTab.status(), 200, await main(you));
        assert.match(you.url(), new RegExp(`/applications/${id}/check$`));
        await applicantTab.audit();
      });

      await step('accepts the declaration and sends: a reference', async () => {
        await you.getByRole('checkbox', { name: t('th', 'applications.page.declaration_agree'), exact: true }).check();
        await press(you, you.locator('button[data-submit-once]'));
        assert.match(you.url(), new RegExp(`/applications/${id}/confirmation$`));
        reference = (await you.locator('[data-reference]').innerText()).trim();
        assert.match(reference, /^DBD-\d{4}-\d{6}-[0-9A-Z]$/);
        await applicantTab.audit();
      });

      await step('the officer signs in on the way to the queue and opens it from there', async () => {
        await officerTab.goto('/agency/applications');
        assert.match(officer.url(), /\/login\?next=/);
        await officerTab.audit();
        await officer.getByLabel(t('th', 'accounts.fields.login.label'), { exact: true }).fill(officerAccount.email);
        await officer.getByLabel(t('th', 'accounts.fields.login_password.label'), { exact: true }).fill(officerAccount.password);
        await press(officer, button(officer, 'accounts.login.submit'));
        assert.equal(officerTab.status(), 200, await main(officer));
        assert.match(officer.url(), /\/agency\/applications$/);
        await officerTab.audit();
        await officer.getByLabel(t('th', 'applications.queue.search'), { exact: true }).fill(reference);
        await press(officer, button(officer, 'applications.queue.filter'));
        assert.equal(officerTab.status(), 200);
        const row = officer.locator('[data-queue] tbody tr').filter({ hasText: reference });
        assert.equal(await row.count(), 1, `the queue does not list ${reference} once: ${await main(officer)}`);
        await officerTab.audit();
        await press(officer, row.getByRole('link', { name: reference, exact: true }));
        assert.equal(officerTab.status(), 200);
        assert.match(officer.url(), new RegExp(`/agency/applications/${id}$`));
        assert.equal((await officer.locator('[data-status]').innerText()).trim(), status('submitted'));
        assert.equal(await officer.locator('[data-issued]').count(), 0, 'a document before the decision');
        await officerTab.audit();
      });

      await step('the officer starts the review, ticks the checklist and approves: the fee is billed', async () => {
        await takeStep('start_review');
        await takeStep('approve', async (stepped) => {
          for (const line of transition('approve').checklist) {
            await stepped.getByRole('checkbox', { name: line.th, exact: true }).check();
          }
        });
        assert.equal(transition('approve').to, 'awaiting_payment');
        assert.equal(await officer.locator('section[data-issued]').count(), 0, 'a document before the fee is paid');
      });

      await step('the applicant\'s application waits on the fee: the bill is for the copies asked for', async () => {
        await applicantTab.goto(`/applications/${id}`);
        assert.equal(applicantTab.status(), 200);
        assert.equal((await you.locator('[data-status]').innerText()).trim(), status('awaiting_payment'));
        assert.equal(await you.locator('section[data-issued]').count(), 0, 'a document before the fee is paid');
        const section = you.locator('section[data-bill-summary]');
        assert.equal(await section.count(), 1, `no bill on the application page: ${await main(you)}`);
        assert.equal(await section.getAttribute('data-bill-status'), 'awaiting');
        await applicantTab.audit();
        await press(you, section.locator('a[data-bill-open]'));
        assert.equal(applicantTab.status(), 200, await main(you));
        const match = you.url().match(/\/bills\/([0-9a-f]+)$/);
        assert.ok(match, `the bill's link led to ${you.url()}`);
        billId = match[1];
        assert.equal(await you.locator('[data-bill]').getAttribute('data-status'), 'awaiting');
        const lines = you.locator('[data-bill-lines] tbody tr');
        assert.equal(await lines.count(), 1, await main(you));
        assert.ok((await lines.first().innerText()).startsWith(fee('certificate').label.th), await lines.first().innerText());
        assert.equal((await you.locator('[data-total]').innerText()).trim(), billTotal);
        assert.match((await you.locator('[data-ref1]').innerText()).trim(), /^\d{12}$/);
        await applicantTab.audit();
      });

      await step('the applicant\'s bank pays the bill: Pratu records it', async () => {
        // By the bill's id: Ref. 1 is unique per biller only, and other agencies' bills of the
        // same run may have the same one.
        const paid = bankSimulator(billId, '--transaction', `E2E-LICENCE-${mode}-${Date.now()}`);
        assert.equal(paid.status, 0, paid.said);
        const line = paid.stdout.split('\n').find((l) => l.startsWith('200 '));
        assert.ok(line, paid.said);
        assert.ok(line.includes('"status":"recorded"'), paid.said);
      });

      await step('the applicant\'s application page offers the signed certificate within seconds', async () => {
        // The server draws and signs it on a thread of its own, polling every 2 s: reload until it is.
        const deadline = Date.now() + 20000;
        let preparing = false;
        for (;;) {
          await applicantTab.goto(`/applications/${id}`);
          assert.equal(applicantTab.status(), 200);
          if (await you.locator('[data-issued-open]').count() > 0) break;
          if (!preparing && await you.locator('[data-issued-preparing]').count() > 0) {
            preparing = true;
            await applicantTab.audit();  // the "being prepared" state is a page too
          }
          assert.ok(Date.now() < deadline, `no signed document 20 s after payment: ${await main(you)}`);
          await new Promise((resolve) => setTimeout(resolve, 500));
        }
        assert.equal((await you.locator('[data-status]').innerText()).trim(), status('approved'));
        const section = you.locator('section[data-issued]');
        number = await section.getAttribute('data-issued');
        assert.match(number, numberPattern);
        assert.equal(await section.getAttribute('data-issued-state'), 'valid');
        assert.equal((await section.getByRole('heading', { level: 2 }).innerText()).trim(), issued.title.th);
        assert.equal((await section.locator('[data-issued-number]').innerText()).trim(), number);
        assert.ok((await section.innerText()).includes(t('th', 'documents.state.valid')));
        const open = section.locator('a[data-issued-open]');
        assert.equal((await open.innerText()).trim(), t('th', 'applications.issued.download'));
        assert.equal(await open.getAttribute('href'), `/documents/issued/${number}`);
        // The QR code's link: the register's page for the number, with the code that shows the name.
        const verify = new URL(await section.locator('a[data-issued-verify]').getAttribute('href'), you.url());
        assert.equal(verify.pathname, `/verify/${number}`);
        assert.match(verify.search, /^\?c=[0-9A-Z]+$/);
        verifyPath = verify.pathname + verify.search;
        await applicantTab.audit();
      });

      await step('follows the link to the PDF: the signed file, named after its number', async () => {
        const open = you.locator('a[data-issued-open]');
        const href = new URL(await open.getAttribute('href'), you.url()).href;
        const [response] = await Promise.all([you.waitForResponse((r) => r.url() === href), open.click()]);
        assert.equal(response.status(), 200);
        const headers = response.headers();
        assert.match(headers['content-type'], /^application\/pdf\b/);
        assert.ok(headers['content-disposition'].includes(`${number}.pdf`), headers['content-disposition']);
        // Chromium's PDF viewer takes over the body it shows: the same file, fetched with the
        // applicant's cookies, is what is kept.
        const file = await you.request.get(href);
        assert.equal(file.status(), 200);
        assert.match(file.headers()['content-type'], /^application\/pdf\b/);
        pdf = await file.body();
        assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-', 'the file is not a PDF');
        assert.ok(pdf.length > 10000, `a signed PDF of ${pdf.length} bytes`);
      });

      await step('My documents lists it among the documents issued to the applicant', async () => {
        await applicantTab.goto('/documents');
        assert.equal(applicantTab.status(), 200);
        const card = you.locator(`[data-wallet-issued] [data-issued="${number}"]`);
        assert.equal(await card.count(), 1, await main(you));
        assert.equal(await card.getAttribute('data-issued-state'), 'valid');
        assert.equal((await card.getByRole('link', { name: issued.title.th, exact: true }).getAttribute('href')),
          `/documents/issued/${number}`);
        assert.ok((await card.innerText()).includes(number));
        await applicantTab.audit();
      });

      await step('a visitor with no account opens the QR code\'s link: valid, with the holder\'s full name', async () => {
        await visitorTab.goto(verifyPath);
        assert.equal(visitorTab.status(), 200);
        assert.equal(await result().getAttribute('data-state'), 'valid');
        assert.ok((await visitor.locator('[data-state-text]').innerText()).includes(t('th', 'documents.state.valid')));
        assert.equal((await visitor.locator('[data-number]').innerText()).trim(), number);
        assert.equal((await visitor.locator('[data-holder]').innerText()).trim(), holder);
        assert.ok(!(await main(visitor)).includes(t('th', 'documents.verify.masked')), 'the name is said to be masked');
        await visitorTab.audit();
      });

      await step('without the code, the same page masks the name', async () => {
        await visitorTab.goto(`/verify/${number}`);
        assert.equal(visitorTab.status(), 200);
        assert.equal(await result().getAttribute('data-state'), 'valid');
        const shown = (await visitor.locator('[data-holder]').innerText()).trim();
        assert.notEqual(shown, holder);
        assert.ok(shown.includes('•') && !shown.includes(person.familyName), `the name is not masked: ${shown}`);
        assert.ok((await main(visitor)).includes(t('th', 'documents.verify.masked')));
        await visitorTab.audit();
      });

      await step('checks the downloaded PDF at /verify: signed and unchanged', async () => {
        const outcome = await checkFile({ name: `${number}.pdf`, mimeType: 'application/pdf', buffer: pdf });
        assert.equal(await outcome.getAttribute('data-outcome'), 'valid', await main(visitor));
        assert.equal((await outcome.locator('[data-outcome-title]').innerText()).trim(),
          t('th', 'documents.outcome.valid.title'));
        assert.equal(await outcome.locator('[data-document-state]').getAttribute('data-document-state'), 'valid');
        assert.equal((await outcome.locator('[data-number]').innerText()).trim(), number);
      });

      await step('checks a copy with one byte changed: modified', async () => {
        const changed = Buffer.from(pdf);
        const at = Math.floor(changed.length / 3);  // inside the signed range, as the integration test does
        changed[at] ^= 0x01;
        const outcome = await checkFile({ name: `${number}.pdf`, mimeType: 'application/pdf', buffer: changed });
        assert.equal(await outcome.getAttribute('data-outcome'), 'modified', await main(visitor));
        assert.equal((await outcome.locator('[data-outcome-title]').innerText()).trim(),
          t('th', 'documents.outcome.modified.title'));
      });

      await step('types the number in the form at /verify and lands on its status page', async () => {
        await visitorTab.goto('/verify');
        assert.equal(visitorTab.status(), 200);
        await visitorTab.audit();
        const lookup = visitor.locator('form[data-verify-number]');
        await lookup.getByLabel(t('th', 'documents.verify.number_label'), { exact: true }).fill(number.toLowerCase());
        await press(visitor, lookup.getByRole('button', { name: t('th', 'documents.verify.check'), exact: true }));
        assert.equal(visitorTab.status(), 200, await main(visitor));
        assert.match(visitor.url(), new RegExp(`/verify/${number}$`));
        assert.equal(await result().getAttribute('data-state'), 'valid');
        assert.equal((await visitor.locator('[data-number]').innerText()).trim(), number);
        await visitorTab.audit();
      });

      await step('the officer opens the document from the application page', async () => {
        await officerTab.goto(`/agency/applications/${id}`);
        assert.equal(officerTab.status(), 200);
        const section = officer.locator('section[data-issued]');
        assert.equal(await section.getAttribute('data-issued'), number);
        await officerTab.audit();
        const open = section.locator('a[data-issued-open]');
        assert.equal((await open.innerText()).trim(), t('th', 'applications.issued.manage'));
        await press(officer, open);
        assert.equal(officerTab.status(), 200);
        assert.match(officer.url(), new RegExp(`/agency/documents/${number}$`));
        const page = officer.locator('[data-agency-document]');
        assert.equal(await page.getAttribute('data-state'), 'valid');
        assert.ok((await page.innerText()).includes(holder));
        assert.ok((await officer.locator('[data-history]').innerText()).includes(t('th', 'documents.history.issued')));
        await officerTab.audit();
      });

      const revoke = () => officer.getByRole('radio', { name: t('th', 'documents.agency.revoke'), exact: true });
      const statusForm = () => officer.locator('form[data-status-form]');

      await step('chooses to revoke without a reason: the problem is named and the choice kept', async () => {
        await revoke().check();
        await press(officer, statusForm().getByRole('button', { name: t('th', 'documents.agency.change'), exact: true }));
        assert.equal(officerTab.status(), 422, await main(officer));
        const summary = errorSummary(officer);
        await summary.waitFor({ state: 'visible' });
        assert.ok((await summary.innerText()).includes(t('th', 'documents.errors.reason_required')), await summary.innerText());
        if (javaScriptEnabled) {
          assert.equal(await officer.locator('.error-summary:focus').count(), 1, 'the error summary is not focused');
        }
        assert.ok(await revoke().isChecked(), 'the chosen action is lost');
        assert.equal(await officer.locator('[data-agency-document]').getAttribute('data-state'), 'valid');
        await officerTab.audit();
      });

      await step('gives the reason and saves: the document is revoked', async () => {
        await statusForm().getByLabel(t('th', 'documents.agency.reason_label'), { exact: true }).fill(revocation);
        await press(officer, statusForm().getByRole('button', { name: t('th', 'documents.agency.change'), exact: true }));
        assert.equal(officerTab.status(), 200, await main(officer));
        assert.match(officer.url(), new RegExp(`/agency/documents/${number}\\?changed=1$`));
        const banner = officer.locator('.notification-banner--success');
        assert.equal((await banner.locator('.notification-banner__title').innerText()).trim(),
          t('th', 'documents.agency.changed_title'));
        assert.equal((await banner.locator('.notification-banner__heading').innerText()).trim(),
          t('th', 'documents.agency.changed'));
        assert.equal(await officer.locator('[data-agency-document]').getAttribute('data-state'), 'revoked');
        assert.ok((await officer.locator('[data-state-text]').innerText()).includes(t('th', 'documents.state.revoked')));
        const last = officer.locator('[data-history] li').last();
        assert.ok((await last.innerText()).includes(revocation), await last.innerText());
        // Revoked is for good: nothing more to do with it.
        assert.equal(await statusForm().count(), 0, 'a revoked document can still be changed');
        await officerTab.audit();
      });

      await step('the visitor opens the link again: revoked, with the reason', async () => {
        await visitorTab.goto(verifyPath);
        assert.equal(visitorTab.status(), 200);
        assert.equal(await result().getAttribute('data-state'), 'revoked');
        const said = await visitor.locator('[data-state-text]').innerText();
        assert.ok(said.includes(t('th', 'documents.state.revoked')), said);
        assert.ok(said.includes(revocation), said);
        await visitorTab.audit();
      });

      await step('the applicant\'s application page and My documents say it is revoked', async () => {
        await applicantTab.goto(`/applications/${id}`);
        assert.equal(applicantTab.status(), 200);
        const section = you.locator(`section[data-issued="${number}"]`);
        assert.equal(await section.getAttribute('data-issued-state'), 'revoked');
        assert.ok((await section.innerText()).includes(t('th', 'documents.state.revoked')), await section.innerText());
        await applicantTab.audit();
        await applicantTab.goto('/documents');
        assert.equal(await you.locator(`[data-wallet-issued] [data-issued="${number}"]`).getAttribute('data-issued-state'),
          'revoked');
      });
    } finally {
      await visitorTab.close();
      await officerTab.close();
      await applicantTab.close();
    }
  });
}
