// A tax billed and paid, with JavaScript on and then off: an applicant's signboard-tax return
// for two signs is submitted over the API (filling the form in is other journeys' subject);
// the BMA's officer starts the review and approves, which bills the tax per sign. The applicant
// opens the bill from the application: the lines, the total in figures and in Thai words, Ref. 1
// and a Thai QR code, which zbarimg reads back as the bill's payload. The bank simulator pays
// it, as a bank confirms a payment, and says so again: the second is a duplicate. The bill now
// says paid, and the application has moved on by itself to "Tax paid". The bill then shows its
// receipt, numbered per agency, fiscal year and book, and the signed PDF checks valid at /verify.
// The BMA's finance officer imports the simulator's statement file for the day, which matches the
// payment, and sees the day's collections as a chart, a table and a CSV file.
// axe-core checks every page on the way.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import {
  apiToken, draftOf, exampleAnswers, registerApplicant, signIn, submitApplication, walletPicture,
} from '../lib/applicants.js';
import { bankSimulator, bankStatement } from '../lib/bank_simulator.js';
import { launchBrowser, Tab } from '../lib/browser.js';
import { stepsOf } from '../lib/journey.js';
import { repoRoot, t } from '../lib/locales.js';

// The service, its fees and workflow, read from services/ so the journey follows them.
const agency = 'bma';
const slug = 'signboard-tax';
const read = (file) => YAML.parse(fs.readFileSync(path.join(repoRoot, 'services', agency, file), 'utf8'));
const info = read(`${slug}.yaml`);
const workflow = read(`${slug}/workflow.yaml`);
const fee = (code) => info.fees.find((f) => f.code === code);
const status = (id) => workflow.states.find((s) => s.id === id).label.th;
const transition = (id) => workflow.transitions.find((s) => s.id === id);

// The demo officer of the agency (src/domains/accounts: demo_officer_email, kDemoOfficerPassword).
const officerAccount = { email: `officer.${agency}@demo.pratu.example`, password: 'pratu-demo-officer' };
// Its finance officer: an officer with the finance duty (docs/adr/0028).
const financeAccount = { email: `finance.${agency}@demo.pratu.example`, password: 'pratu-demo-officer' };
// Its cashier: an officer with the cashier duty.
const cashierAccount = { email: `cashier.${agency}@demo.pratu.example`, password: 'pratu-demo-officer' };

// Two signs, and their tax at the catalogue's rates per started 500 cm²: a Thai-only sign of
// 100 × 150 cm is 30 units at 5 baht, 150, raised to the minimum of 200; a mixed one of
// 200 × 300 cm is 120 units at 52 baht, 6,240. The bill is 6,440 baht.
const signs = [
  { sign_type: 'type1', width_cm: 100, height_cm: 150, fee: 'thai_other', amount: '200.00' },
  { sign_type: 'type2', width_cm: 200, height_cm: 300, fee: 'mixed', amount: '6,240.00' },
];
const total = { figures: '6,440.00', payload: '6440.00', words: 'หกพันสี่ร้อยสี่สิบบาทถ้วน' };

/** What zbarimg reads in a PNG image. */
function zbarimg(png) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pratu-e2e-qr-'));
  try {
    const file = path.join(dir, 'qr.png');
    fs.writeFileSync(file, png);
    const run = spawnSync('zbarimg', ['--raw', '-q', file], { encoding: 'utf8' });
    assert.equal(run.status, 0, `zbarimg found no code (exit ${run.status}): ${run.stderr}${run.error ?? ''}`);
    return run.stdout.replace(/\n$/, '');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** An EMVCo payload's data objects (two-digit tag, two-digit length, value), by tag. */
function emvObjects(text) {
  const out = new Map();
  for (let at = 0; at < text.length;) {
    const tag = text.slice(at, at + 2);
    const length = Number(text.slice(at + 2, at + 4));
    assert.ok(/^\d{2}$/.test(tag) && Number.isInteger(length) && at + 4 + length <= text.length,
      `not an EMVCo data object at ${at} of ${text}`);
    out.set(tag, text.slice(at + 4, at + 4 + length));
    at += 4 + length;
  }
  return out;
}

/** CRC-16/CCITT-FALSE as four upper-case hex digits (the payload's tag 63). */
function crc16(text) {
  let crc = 0xffff;
  for (const byte of Buffer.from(text, 'utf8')) {
    crc ^= byte << 8;
    for (let i = 0; i < 8; i++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc.toString(16).toUpperCase().padStart(4, '0');
}

/** Whether the last digit of `digits` is the Luhn check digit of the others. */
function luhnValid(digits) {
  let sum = 0;
  [...digits].reverse().forEach((d, i) => {
    const n = Number(d) * (i % 2 === 1 ? 2 : 1);
    sum += n > 9 ? n - 9 : n;
  });
  return sum % 10 === 0;
}

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

for (const javaScriptEnabled of [true, false]) {
  const mode = javaScriptEnabled ? 'on' : 'off';

  test(`a signboard tax is billed, paid by the bank and the application moves on, with JavaScript ${mode}`, async (journey) => {
    const applicantTab = await Tab.open(browser, { javaScriptEnabled });
    const officerTab = await Tab.open(browser, { javaScriptEnabled });
    const financeTab = await Tab.open(browser, { javaScriptEnabled });
    const finance = financeTab.page;
    const cashierTab = await Tab.open(browser, { javaScriptEnabled });
    const cashier = cashierTab.page;
    const you = applicantTab.page;
    const officer = officerTab.page;
    const step = stepsOf(journey);
    const transaction = `E2E-${mode}-${Date.now()}`;
    let person;
    let id;
    let reference;
    let billPath;
    let ref1;
    let scannedBarcode;  // the bill's barcode as zbarimg reads it off the page
    let receiptNumber;
    let receiptPdf;

    const press = async (page, locator) => {
      await locator.click();
      await page.waitForLoadState();
    };
    const main = (page) => page.locator('main').innerText();
    const text = async (locator) => (await locator.innerText()).trim();
    const stepForm = (transitionId) => officer.locator(`form[data-step="${transitionId}"]`);

    /** The officer takes a step with its form; the page says it is done and shows the new status. */
    async function takeStep(transitionId, fill = async () => {}) {
      const stepped = stepForm(transitionId);
      assert.equal(await stepped.count(), 1, `no form for ${transitionId}: ${await main(officer)}`);
      await fill(stepped);
      await press(officer, stepped.getByRole('button', { name: transition(transitionId).label.th, exact: true }));
      assert.equal(officerTab.status(), 200, `${transitionId} answered ${officerTab.status()}: ${await main(officer)}`);
      assert.match(officer.url(), new RegExp(`/agency/applications/${id}\\?done=1$`));
      assert.equal(await text(officer.locator('[data-status]')), status(transition(transitionId).to));
      await officerTab.audit();
    }

    /** The bill's section of an application page: its status, and the link to the bill. */
    async function billSection(page, billStatus) {
      const section = page.locator('section[data-bill-summary]');
      assert.equal(await section.count(), 1, `no bill on the application page: ${await main(page)}`);
      assert.equal(await section.getAttribute('data-bill-status'), billStatus);
      const said = await section.innerText();
      assert.ok(said.includes(t('th', `payments.status.${billStatus}`)), said);
      assert.ok(said.includes(total.figures), `the total ${total.figures} is not in: ${said}`);
      return section;
    }

    try {
      await step('the applicant\'s return for two signs is submitted over the API', async () => {
        person = await registerApplicant({ givenName: 'สมหมาย', familyName: 'ติดป้าย', tag: `payments-${mode}` });
        const token = await apiToken(person.nationalId, person.password);
        // The form schema's example, with the applicant's own ID (the page prefills it, locked)
        // and the signs of this journey, each photographed.
        const answers = await exampleAnswers(slug, await walletPicture(token));
        answers.citizen_id = person.nationalId;
        const [example] = answers.signs;
        answers.signs = signs.map(({ sign_type, width_cm, height_cm }, i) =>
          ({ ...example, _key: `k${i + 1}`, sign_type, width_cm, height_cm }));
        id = await draftOf(token, slug, answers);
        const sent = await submitApplication(token, id);
        assert.equal(sent.status, 'submitted');
        reference = sent.reference;
        assert.match(reference, /^BMA-\d{4}-\d{6}-[0-9A-Z]$/);
      });

      await step('the BMA\'s officer signs in on the way to the queue and opens it from there', async () => {
        await officerTab.goto('/agency/applications');
        assert.match(officer.url(), /\/login\?next=/);
        await signIn(officerTab, officerAccount.email, officerAccount.password);
        assert.match(officer.url(), /\/agency\/applications$/);
        await officerTab.audit();
        await officer.getByLabel(t('th', 'applications.queue.search'), { exact: true }).fill(reference);
        await press(officer, officer.getByRole('button', { name: t('th', 'applications.queue.filter'), exact: true }));
        assert.equal(officerTab.status(), 200);
        const row = officer.locator('[data-queue] tbody tr').filter({ hasText: reference });
        assert.equal(await row.count(), 1, `the queue does not list ${reference} once: ${await main(officer)}`);
        await officerTab.audit();
        await press(officer, row.getByRole('link', { name: reference, exact: true }));
        assert.equal(officerTab.status(), 200);
        assert.match(officer.url(), new RegExp(`/agency/applications/${id}$`));
        assert.equal(await text(officer.locator('[data-status]')), status('submitted'));
        assert.equal(await officer.locator('[data-bill-summary]').count(), 0, 'a bill before the decision');
        await officerTab.audit();
      });

      await step('the officer starts the review, ticks the checklist and approves: the tax is billed', async () => {
        await takeStep('start_review');
        await takeStep('approve', async (stepped) => {
          for (const line of transition('approve').checklist) {
            await stepped.getByRole('checkbox', { name: line.th, exact: true }).check();
          }
        });
        assert.equal(transition('approve').to, 'awaiting_payment');
        await billSection(officer, 'awaiting');
      });

      await step('the applicant signs in on the way to the application: it waits on the bill', async () => {
        await applicantTab.goto(`/applications/${id}`);
        assert.match(you.url(), /\/login\?next=/);
        await signIn(applicantTab, person.nationalId, person.password);
        assert.match(you.url(), new RegExp(`/applications/${id}$`));
        assert.equal(await text(you.locator('[data-status]')), status('awaiting_payment'));
        const section = await billSection(you, 'awaiting');
        assert.equal(await text(section.locator('a[data-bill-open]')), t('th', 'payments.bill.open_bill'));
        await applicantTab.audit();
      });

      await step('opens the bill: awaiting, a line per sign, the total in figures and words, the references', async () => {
        await press(you, you.locator('a[data-bill-open]'));
        assert.equal(applicantTab.status(), 200, await main(you));
        const match = you.url().match(/(\/bills\/[0-9a-f]+)$/);
        assert.ok(match, `the bill's link led to ${you.url()}`);
        billPath = match[1];
        const bill = you.locator('[data-bill]');
        assert.equal(await bill.getAttribute('data-status'), 'awaiting');
        assert.ok((await text(you.getByRole('heading', { level: 1 }))).startsWith(t('th', 'payments.bill.title')));
        assert.equal(await text(you.locator('[data-bill-status]')), t('th', 'payments.status.awaiting'));
        const rows = you.locator('[data-bill-lines] tbody tr');
        assert.equal(await rows.count(), signs.length, await text(you.locator('[data-bill-lines]')));
        for (const [i, sign] of signs.entries()) {
          const cells = rows.nth(i).locator('td');
          assert.ok((await text(cells.nth(0))).startsWith(fee(sign.fee).label.th), await text(cells.nth(0)));
          assert.equal(await text(cells.nth(1)), sign.amount);
        }
        assert.equal(await text(you.locator('[data-total]')), total.figures);
        assert.equal(await text(you.locator('[data-total-words]')), total.words);
        ref1 = await text(you.locator('[data-ref1]'));
        assert.match(ref1, /^\d{12}$/);
        assert.ok(luhnValid(ref1), `Ref. 1 ${ref1} has a wrong check digit`);
        assert.match(await text(you.locator('[data-ref2]')), /^\d{6}$/);
        assert.match(await text(you.locator('[data-biller-id]')), /^\d{15}$/);
        assert.equal(await you.locator('[data-thai-qr] svg').count(), 1, 'no QR code on the bill');
        await applicantTab.audit();
      });

      await step('a banking app reads the QR code: the bill\'s biller, references and total', async () => {
        const qr = you.locator('[data-thai-qr]');
        const payload = await qr.getAttribute('data-thai-qr');
        const read = zbarimg(await qr.screenshot());
        assert.equal(read, payload);
        assert.ok(read.startsWith('000201'), read);
        const billerId = await text(you.locator('[data-biller-id]'));
        assert.ok(read.includes(billerId), `the biller ID ${billerId} is not in ${read}`);
        // The Bank of Thailand's bill payment: tag 30 with its AID, the biller and both references.
        const objects = emvObjects(read);
        const billPayment = emvObjects(objects.get('30') ?? '');
        assert.equal(billPayment.get('00'), 'A000000677010112');
        assert.equal(billPayment.get('01'), billerId);
        assert.equal(billPayment.get('02'), ref1);
        assert.equal(billPayment.get('03'), await text(you.locator('[data-ref2]')));
        assert.equal(objects.get('53'), '764');
        assert.equal(objects.get('54'), total.payload);
        assert.equal(objects.get('58'), 'TH');
        assert.equal(objects.get('63'), crc16(read.slice(0, -4)), 'the CRC does not match');
      });

      await step('a counter\'s scanner reads the barcode: the biller, both references and the total', async () => {
        scannedBarcode = zbarimg(await you.locator('[data-barcode]').screenshot());
        const [biller, first, second, amount] = scannedBarcode.split('\r');
        assert.equal(biller, `|${await text(you.locator('[data-biller-id]'))}`);
        assert.equal(first, ref1);
        assert.equal(second, await text(you.locator('[data-ref2]')));
        assert.equal(amount, total.payload.replace('.', ''));
      });

      await step('the bank pays it: Pratu records the confirmation', async () => {
        // By the bill's id: Ref. 1 is unique per biller only, and other agencies' bills of the
        // same run may have the same one.
        const paid = bankSimulator(billPath.split('/').pop(), '--transaction', transaction);
        assert.equal(paid.status, 0, paid.said);
        const line = paid.stdout.split('\n').find((l) => l.startsWith('200 '));
        assert.ok(line, paid.said);
        assert.ok(line.includes('"status":"recorded"'), paid.said);
      });

      await step('the bank sends the same confirmation again: a duplicate, nothing more', async () => {
        const again = bankSimulator(billPath.split('/').pop(), '--transaction', transaction);
        assert.equal(again.status, 0, again.said);
        const line = again.stdout.split('\n').find((l) => l.startsWith('200 '));
        assert.ok(line, again.said);
        assert.ok(line.includes('"duplicate"'), again.said);
      });

      await step('the applicant reloads the bill: paid, and no longer offering its QR code', async () => {
        await you.reload();
        await you.waitForLoadState();
        assert.equal(applicantTab.status(), 200);
        assert.ok(you.url().endsWith(billPath), you.url());
        assert.equal(await you.locator('[data-bill]').getAttribute('data-status'), 'paid');
        assert.ok((await text(you.locator('[data-bill-status]'))).startsWith(t('th', 'payments.status.paid')));
        assert.equal(await text(you.locator('[data-ref1]')), ref1);
        assert.equal(await text(you.locator('[data-total]')), total.figures);
        assert.equal(await you.locator('[data-thai-qr]').count(), 0, 'a paid bill still offers its QR code');
        await applicantTab.audit();
      });

      await step('goes back to the application: it has moved on by itself to tax paid', async () => {
        await press(you, you.getByRole('link', { name: t('th', 'payments.bill.back'), exact: true }));
        assert.equal(applicantTab.status(), 200);
        assert.match(you.url(), new RegExp(`/applications/${id}$`));
        assert.equal(await text(you.locator('[data-status]')), status('approved'));
        assert.equal(status('approved'), transition('paid').label.th);
        const section = await billSection(you, 'paid');
        assert.equal(await text(section.locator('a[data-bill-open]')), t('th', 'payments.bill.title'));
        await applicantTab.audit();
      });

      await step('the notifications tell once of the payment: the amount received and the new status', async () => {
        await press(you, you.locator('a[data-nav-notifications]'));
        assert.equal(applicantTab.status(), 200);
        const paid = you.locator('[data-notice]').filter({ hasText: t('th', 'notifications.inbox.step_paid').split('{service}')[0].trim() });
        assert.equal(await paid.count(), 1, await main(you));
        const said = await paid.innerText();
        assert.ok(said.includes(`${total.figures} บาท`), said);
        assert.ok(said.includes(status('approved')), said);
        assert.equal(await paid.locator('a').getAttribute('href'), `/applications/${id}`);
        await applicantTab.audit();
      });

      await step('the bill shows its receipt once signed: numbered per agency, fiscal year and book', async () => {
        await applicantTab.goto(billPath);
        for (let i = 0; i < 60 && await you.locator('a[data-receipt-download]').count() === 0; i++) {
          await you.waitForTimeout(500);
          await applicantTab.goto(billPath);
        }
        const receipt = you.locator('[data-receipt]');
        assert.equal(await receipt.count(), 1, await main(you));
        receiptNumber = await receipt.getAttribute('data-receipt');
        assert.match(receiptNumber, /^BMA-\d{4}-001-\d{6}$/);
        assert.equal(await receipt.getAttribute('data-receipt-status'), 'valid');
        assert.equal(await text(you.locator('[data-receipt-number]')), receiptNumber);
        const open = you.locator('a[data-receipt-download]');
        assert.equal(await text(open), t('th', 'payments.receipt.download'));
        const file = await you.request.get(new URL(await open.getAttribute('href'), you.url()).href);
        assert.equal(file.status(), 200);
        assert.match(file.headers()['content-type'], /^application\/pdf\b/);
        receiptPdf = await file.body();
        assert.equal(receiptPdf.subarray(0, 5).toString('latin1'), '%PDF-', 'the receipt is not a PDF');
        await applicantTab.audit();
      });

      await step('the receipt checks at /verify: signed, unchanged, a valid receipt', async () => {
        await applicantTab.goto('/verify');
        assert.equal(applicantTab.status(), 200);
        const upload = you.locator('form[data-verify-file]');
        await upload.locator('input[type=file][name="file"]').setInputFiles(
          { name: `${receiptNumber}.pdf`, mimeType: 'application/pdf', buffer: receiptPdf });
        await press(you, upload.getByRole('button', { name: t('th', 'documents.verify.check_file'), exact: true }));
        assert.equal(applicantTab.status(), 200, await main(you));
        const outcome = you.locator('[data-file-result]');
        assert.equal(await outcome.getAttribute('data-outcome'), 'valid', await main(you));
        assert.equal(await outcome.locator('[data-document-state]').getAttribute('data-document-state'), 'valid');
        assert.equal(await text(outcome.locator('[data-number]')), receiptNumber);
        await applicantTab.audit();
      });

      await step('the officer\'s page of the application says tax paid too', async () => {
        await officerTab.goto(`/agency/applications/${id}`);
        assert.equal(officerTab.status(), 200);
        assert.equal(await text(officer.locator('[data-status]')), status('approved'));
        await billSection(officer, 'paid');
        await officerTab.audit();
      });
      await step('the BMA\'s finance officer imports the bank\'s statement: the payment is matched', async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pratu-e2e-statement-'));
        try {
          const file = path.join(dir, 'statement.txt');
          const written = bankStatement(agency, file);
          assert.equal(written.status, 0, written.said);
          await financeTab.goto('/agency/statements');
          assert.match(finance.url(), /\/login\?next=/);
          await signIn(financeTab, financeAccount.email, financeAccount.password);
          assert.match(finance.url(), /\/agency\/statements$/);
          await financeTab.audit();
          const upload = finance.locator('form[data-statement-upload]');
          await upload.locator('input[type=file]').setInputFiles(file);
          await press(finance, upload.getByRole('button', { name: t('th', 'payments.imports.import'), exact: true }));
          assert.equal(financeTab.status(), 200, await main(finance));
          assert.match(finance.url(), /\/agency\/statements\/\d+/);
          const line = finance.locator('[data-lines] tr[data-line]').filter({ hasText: ref1 });
          assert.equal(await line.count(), 1, await main(finance));
          assert.equal(await line.getAttribute('data-outcome'), 'matched');
          await financeTab.audit();
        } finally {
          fs.rmSync(dir, { recursive: true, force: true });
        }
      });

      await step('the finance officer sees the day\'s collections as a chart and a table', async () => {
        await financeTab.goto('/agency/collections');
        assert.equal(financeTab.status(), 200, await main(finance));
        assert.equal(await finance.locator('[data-collections-days] svg[role="img"]').count(), 1, await main(finance));
        const row = finance.locator(`[data-collections-services] tr[data-service="${slug}"]`);
        assert.ok(await row.count() >= 1, await main(finance));
        const csv = finance.locator('a[data-collections-csv]');
        const download = await finance.request.get(new URL(await csv.getAttribute('href'), finance.url()).href);
        assert.equal(download.status(), 200);
        assert.ok((await download.text()).includes(`,${slug},`), 'the CSV has no line for the service');
        await financeTab.audit();
      });

      await step('the cashier finds the bill by its Ref. 1 at the counter: it is paid already', async () => {
        await cashierTab.goto('/agency/counter');
        assert.match(cashier.url(), /\/login\?next=/);
        await signIn(cashierTab, cashierAccount.email, cashierAccount.password);
        assert.match(cashier.url(), /\/agency\/counter$/);
        await cashierTab.audit();
        const find = cashier.locator('form[data-counter-find]');
        const field = find.getByLabel(t('th', 'payments.counter_desk.bill_label'), { exact: true });
        // A Ref. 1 no bill has: the form again, saying so, with what was typed.
        await field.fill('999999999999');
        await press(cashier, find.getByRole('button', { name: t('th', 'payments.counter_desk.find'), exact: true }));
        assert.equal(cashierTab.status(), 422, await main(cashier));
        assert.ok((await text(cashier.locator('.error-summary'))).includes(t('th', 'payments.counter_desk.bill_not_found')));
        await cashierTab.audit();
        // As printed, with a space: the bill's page, paid by the bank, with no counter form.
        await cashier.locator('form[data-counter-find]').getByLabel(t('th', 'payments.counter_desk.bill_label'), { exact: true })
          .fill(`${ref1.slice(0, 6)} ${ref1.slice(6)}`);
        await press(cashier, cashier.locator('form[data-counter-find]').getByRole('button', { name: t('th', 'payments.counter_desk.find'), exact: true }));
        assert.equal(cashierTab.status(), 200, await main(cashier));
        assert.equal(new URL(cashier.url()).pathname, billPath);
        assert.equal(await cashier.locator('form[data-counter-form]').count(), 0);
        // The cashier is a clerk, who reads no application (ADR 0032): the bill's page leads
        // back to the counter, and nothing on it leads to the application.
        assert.equal(await cashier.locator('a[data-bill-back]').getAttribute('href'), '/agency/counter');
        assert.equal(await cashier.locator('a[href^="/agency/applications"], a[href^="/applications"]').count(), 0, await main(cashier));
        await cashierTab.audit();
      });

      await step(`the cashier scans the printed bill's barcode at the counter${javaScriptEnabled ? '' : ': script off, the scanner\'s first Enter sends the form early'}`, async () => {
        await cashierTab.goto('/agency/counter');
        const field = cashier.locator('form[data-counter-find]').getByLabel(t('th', 'payments.counter_desk.bill_label'), { exact: true });
        await field.click();
        // A scanner types like a keyboard: each carriage return in the barcode comes as Enter.
        const firstReturn = scannedBarcode.indexOf('\r');
        if (javaScriptEnabled) {
          await Promise.all([cashier.waitForURL((url) => url.pathname === billPath), cashier.keyboard.type(scannedBarcode)]);
          await cashier.waitForLoadState();
          assert.equal(cashierTab.status(), 200, await main(cashier));
        } else {
          await cashier.keyboard.type(scannedBarcode.slice(0, firstReturn));
          await Promise.all([cashier.waitForURL(/\/agency\/counter\?bill=/), cashier.keyboard.press('Enter')]);
          await cashier.waitForLoadState();
          assert.equal(cashierTab.status(), 422, await main(cashier));
          assert.ok((await text(cashier.locator('.error-summary'))).includes(t('th', 'payments.counter_desk.scan_incomplete')));
        }
        await cashierTab.audit();
      });

    } finally {
      await officerTab.close();
      await cashierTab.close();
      await financeTab.close();
      await applicantTab.close();
    }
  });
}
