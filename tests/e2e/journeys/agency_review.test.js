// An application on both sides of the counter, with JavaScript on: an applicant sends a change
// of address; the agency's officer takes it from the queue, starts the review and asks, with a
// reason, for a clearer copy of the ID card; the applicant reads what was asked, replaces the
// file and sends it back; the officer reviews it again and approves. Applicant and officer are
// two browsers (contexts), each signed in. Every step the applicant is told of is a mail that
// run.sh's SMTP server (lib/smtp_sink.js, npm's smtp-server) receives; each is read back with
// mailparser: Thai subject and body, the service and the status, never the officer's reason.
// On the way the officer keeps a note and the two write to each other (the officer told in the
// portal), and the supervisor sees the decision on the dashboard. axe-core checks every page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { simpleParser } from 'mailparser';
import { launchBrowser, Tab } from '../lib/browser.js';
import { stepsOf } from '../lib/journey.js';
import { repoRoot, t } from '../lib/locales.js';
import { randomCitizenId } from '../lib/thai_id.js';

// The service, its form and its workflow, read from services/ so the journey follows them.
const agency = 'dopa';
const slug = 'change-of-address';
const read = (file) => YAML.parse(fs.readFileSync(path.join(repoRoot, 'services', agency, file), 'utf8'));
const info = read(`${slug}.yaml`);
const form = read(`${slug}/form.yaml`);
const workflow = read(`${slug}/workflow.yaml`);
const fields = new Map(form.pages.flatMap((p) => p.fields).map((f) => [f.id, f]));
const label = (id) => fields.get(id).label.th;
const choice = (id, code) => fields.get(id).choices.find((c) => c.code === code).th;
const state = (id) => workflow.states.find((s) => s.id === id);
const status = (id) => state(id).label.th;
const transition = (id) => workflow.transitions.find((s) => s.id === id);

// The demo officer of the agency (src/domains/accounts: demo_officer_email, kDemoOfficerPassword).
const officerAccount = { email: `officer.${agency}@demo.pratu.example`, password: 'pratu-demo-officer' };
const reason = 'สำเนาบัตรประจำตัวประชาชนที่แนบมาไม่ชัด กรุณาแนบไฟล์ใหม่ที่เห็นเลขประจำตัวครบทั้ง 13 หลัก';
// Its supervisor (demo_supervisor_email), with the same demo password.
const supervisorAccount = { email: `supervisor.${agency}@demo.pratu.example`, password: 'pratu-demo-officer' };
const note = 'ตรวจทะเบียนบ้านปลายทางแล้ว เหลือสำเนาบัตรที่ชัดกว่า';
const question = 'โปรดยืนยันว่าย้ายเข้าคนเดียว ไม่มีสมาชิกครอบครัวย้ายตามใช่หรือไม่';
const answer = 'ย้ายคนเดียวค่ะ';

/** `t` with its "{name}" placeholders filled. */
function tf(key, args) {
  return t('th', key).replace(/\{([a-z_]+)\}/g, (whole, name) => (name in args ? String(args[name]) : whole));
}

/** A picture by its first bytes (PNG or JPEG), `size` bytes long: files are judged by content. */
function picture(size, kind = 'png') {
  const head = kind === 'png'
    ? Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
    : Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00]);
  const body = Buffer.alloc(size - head.length);
  for (let i = 0; i < body.length; i += 1) body[i] = (i * 7919 + size) % 251;
  return Buffer.concat([head, body]);
}

// Each message file read so far, by name: {raw, mail}.
const parsed = new Map();

/**
 * The mail run.sh's SMTP server received for `address`, oldest first, each as its bytes and as
 * mailparser reads them; waits up to `seconds` for at least `count` of them.
 */
async function mailTo(address, count, seconds = 20) {
  const dir = process.env.MAIL_DIR;
  if (!dir) throw new Error('MAIL_DIR is not set: run the suite with tests/e2e/run.sh, which starts lib/smtp_sink.js');
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const names = fs.readdirSync(dir).filter((n) => /^\d+\.eml$/.test(n))
      .sort((a, b) => parseInt(a, 10) - parseInt(b, 10));
    const mine = [];
    for (const name of names) {
      if (!parsed.has(name)) {
        const raw = fs.readFileSync(path.join(dir, name));
        parsed.set(name, { raw, mail: await simpleParser(raw) });
      }
      const message = parsed.get(name);
      if (message.mail.to?.value.some((to) => to.address === address)) mine.push(message);
    }
    if (mine.length >= count || Date.now() > deadline) return mine;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The non-empty lines of a text, trimmed. */
const lines = (text) => text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '');

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

test('an officer asks for a clearer document, the applicant sends it, and the officer approves', async (journey) => {
  const applicantTab = await Tab.open(browser, { javaScriptEnabled: true });
  const officerTab = await Tab.open(browser, { javaScriptEnabled: true });
  const you = applicantTab.page;
  const officer = officerTab.page;
  const step = stepsOf(journey);
  const person = {
    nationalId: randomCitizenId(),
    givenName: 'สมศรี',
    familyName: 'รอตรวจ',
    email: `e2e-review-${Date.now()}@example.org`,
    mobile: '089' + String(Math.floor(Math.random() * 1e7)).padStart(7, '0'),
    password: `Rvw-${Math.random().toString(36).slice(2, 10)}-ประตู-3`,
  };
  const firstCard = { name: 'บัตรประชาชน-เบลอ.jpg', mimeType: 'image/jpeg', buffer: picture(9000, 'jpeg') };
  const clearCard = { name: 'บัตรประชาชน-ชัด.png', mimeType: 'image/png', buffer: picture(14000) };
  const consent = { name: 'หนังสือยินยอม.png', mimeType: 'image/png', buffer: picture(7000) };
  let id;
  let reference;
  let mails = 0;  // the mail the applicant has been sent so far

  const press = async (page, locator) => {
    await locator.click();
    await page.waitForLoadState();
  };
  const button = (page, key) => page.getByRole('button', { name: t('th', key), exact: true });
  const main = (page) => page.locator('main').innerText();
  const timeline = async (page) => (await page.locator('[data-timeline] > li > strong').allInnerTexts())
    .map((s) => s.trim());
  const stepForm = (transitionId) => officer.locator(`form[data-step="${transitionId}"]`);

  /** The applicant's page of the application, with its status. */
  async function openApplication() {
    await applicantTab.goto(`/applications/${id}`);
    assert.equal(applicantTab.status(), 200);
    await applicantTab.audit();
  }

  /** The officer's page of the application, opened from the queue found by its reference. */
  async function openFromQueue(expected) {
    await officerTab.goto('/agency/applications');
    assert.equal(officerTab.status(), 200);
    await officer.getByLabel(t('th', 'applications.queue.search'), { exact: true }).fill(reference);
    await press(officer, button(officer, 'applications.queue.filter'));
    assert.equal(officerTab.status(), 200);
    const row = officer.locator('[data-queue] tbody tr').filter({ hasText: reference });
    assert.equal(await row.count(), 1, `the queue does not list ${reference} once: ${await main(officer)}`);
    assert.equal((await row.locator('.tag').first().innerText()).trim(), status(expected));
    assert.ok((await row.innerText()).includes(info.name.th));
    await officerTab.audit();
    await press(officer, row.getByRole('link', { name: reference, exact: true }));
    assert.equal(officerTab.status(), 200);
    assert.match(officer.url(), new RegExp(`/agency/applications/${id}$`));
    assert.equal((await officer.locator('[data-status]').innerText()).trim(), status(expected));
    await officerTab.audit();
  }

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

  /**
   * The next mail to the applicant, for the step into `to`: exactly one more has come, its Thai
   * subject and body are the locale's letter `key` filled in (the service's name, the status
   * and what happens next, a link to the application), and the officer's reason is not in it.
   */
  async function assertMailed(key, to) {
    mails += 1;
    const received = await mailTo(person.email, mails);
    assert.equal(received.length, mails,
      `the applicant has ${received.length} mail, not ${mails}: ${received.map((m) => m.mail.subject).join(' | ')}`);
    const { raw, mail } = received.at(-1);
    const head = raw.toString('latin1').split(/\r\n\r\n/)[0];
    // On the wire the Thai subject is encoded (RFC 2047); read back, it is the locale's.
    assert.match(head, /^Subject: =\?utf-8\?[bq]\?/im, head);
    const service = info.name.th;
    assert.equal(mail.subject, tf(`notifications.${key}.subject`, { service }));
    const link = lines(mail.text).find((l) => l.endsWith(`/applications/${id}`));
    assert.ok(link, `no link to the application in the mail:\n${mail.text}`);
    const next = state(to).next ? tf('notifications.step_taken_next', { next: state(to).next.th }) : '';
    const letter = tf(`notifications.${key}.text`, { service, status: status(to), next, link });
    assert.deepEqual(lines(mail.text), lines(letter));
    if (t('th', `notifications.${key}.text`).includes('{status}')) {
      assert.ok(mail.text.includes(status(to)), `the status ${status(to)} is not in the mail`);
      assert.ok(mail.html.includes(`<strong>${status(to)}</strong>`), mail.html);
    }
    assert.ok(mail.text.includes(service) && mail.html.includes(service));
    for (const part of [mail.subject, mail.text, mail.html]) {
      assert.ok(!part.includes(reason), 'the officer\'s reason is in the mail');
      assert.ok(!part.includes('เบลอ') && !part.includes('ชัด.png'), 'a file name is in the mail');
    }
  }

  try {
    await step('the applicant registers, with an e-mail address', async () => {
      await applicantTab.goto('/register');
      await applicantTab.audit();
      const field = (key) => you.getByLabel(t('th', `accounts.fields.${key}.label`), { exact: true });
      await field('national_id').fill(person.nationalId);
      await you.getByRole('combobox', { name: t('th', 'accounts.fields.title.label'), exact: true })
        .selectOption({ label: t('th', 'accounts.titles.mrs') });
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

    await step('starts a change of address and answers the move', async () => {
      await applicantTab.goto(`/services/${slug}/apply`);
      assert.equal(applicantTab.status(), 200);
      await applicantTab.audit();
      await press(you, you.locator('button[data-start]'));
      const match = you.url().match(/\/applications\/([0-9a-f]+)\/pages\/move$/);
      assert.ok(match, `Start led to ${you.url()}`);
      id = match[1];
      await applicantTab.audit();
      // Bangkok › Phra Nakhon › Phra Borom Maha Ratchawang to Chiang Mai › Mueang › Hai Ya.
      for (const [field, house, place] of [
        ['old_address', '1', ['กรุงเทพมหานคร', 'พระนคร', 'พระบรมมหาราชวัง']],
        ['new_address', '99/9', ['เชียงใหม่', 'เมืองเชียงใหม่', 'หายยา']],
      ]) {
        const address = you.locator(`fieldset[id="${field}"]`);
        const list = (part) => address.getByRole('combobox', { name: t('th', `applications.address.${part}`), exact: true });
        const update = address.getByRole('button', { name: t('th', 'applications.address.update'), exact: true });
        await address.getByLabel(t('th', 'applications.address.house_no'), { exact: true }).fill(house);
        await list('province').selectOption({ label: place[0] });
        await press(you, update);
        await list('district').selectOption({ label: place[1] });
        await press(you, update);
        await list('subdistrict').selectOption({ label: place[2] });
      }
      await you.getByLabel(label('new_house_number'), { exact: true }).fill('50990123456');
      const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Bangkok' }).format(new Date()).split('-');
      await you.getByLabel(t('th', 'applications.date.day'), { exact: true }).fill(String(Number(today[2])));
      await you.getByLabel(t('th', 'applications.date.month'), { exact: true }).fill(String(Number(today[1])));
      await you.getByLabel(t('th', 'applications.date.year'), { exact: true }).fill(String(Number(today[0]) + 543));
      await you.getByRole('radio', { name: choice('reason', 'work'), exact: true }).check();
      await press(you, button(you, 'applications.page.continue'));
      assert.equal(applicantTab.status(), 200, await main(you));
      assert.match(you.url(), /\/pages\/household$/);
      await applicantTab.audit();
    });

    await step('names the head of household, nobody moving along, and attaches both documents', async () => {
      await you.getByLabel(label('head_citizen_id'), { exact: true }).fill(randomCitizenId());
      await you.getByLabel(label('head_name'), { exact: true }).fill('นายเจ้าบ้าน ใจดี');
      await you.getByRole('radio', { name: choice('others_moving', 'no'), exact: true }).check();
      await press(you, button(you, 'applications.page.continue'));
      assert.equal(applicantTab.status(), 200, await main(you));
      assert.match(you.url(), /\/pages\/supporting_documents$/);
      await applicantTab.audit();
      // The page sends each file ahead (tus) and then attaches it.
      for (const [field, file] of [['mover_id_card', firstCard], ['household_head_consent', consent]]) {
        await Promise.all([
          you.waitForURL(new RegExp(`/pages/supporting_documents#${field}$`), { timeout: 30000 }),
          you.locator(`input[type=file][name="${field}"]`).setInputFiles(file),
        ]);
        assert.ok((await main(you)).includes(file.name), `${file.name} is not attached`);
      }
      await applicantTab.audit();
      await press(you, button(you, 'applications.page.continue'));
      assert.match(you.url(), /\/check$/);
      await applicantTab.audit();
    });

    await step('accepts the declaration and sends: a reference', async () => {
      await you.getByRole('checkbox', { name: t('th', 'applications.page.declaration_agree'), exact: true }).check();
      await press(you, you.locator('button[data-submit-once]'));
      assert.match(you.url(), new RegExp(`/applications/${id}/confirmation$`));
      reference = (await you.locator('[data-reference]').innerText()).trim();
      assert.match(reference, /^DOPA-\d{4}-\d{6}-[0-9A-Z]$/);
      await applicantTab.audit();
    });

    await step('the officer signs in on the way to the queue and finds it, as submitted', async () => {
      await officerTab.goto('/agency/applications');
      assert.match(officer.url(), /\/login\?next=/);
      await officerTab.audit();
      await officer.getByLabel(t('th', 'accounts.fields.login.label'), { exact: true }).fill(officerAccount.email);
      await officer.getByLabel(t('th', 'accounts.fields.login_password.label'), { exact: true }).fill(officerAccount.password);
      await press(officer, button(officer, 'accounts.login.submit'));
      assert.equal(officerTab.status(), 200, await main(officer));
      assert.match(officer.url(), /\/agency\/applications$/);
      await officer.getByRole('heading', { level: 1, name: t('th', 'applications.queue.title'), exact: true }).waitFor();
      await officerTab.audit();
      await openFromQueue('submitted');
      assert.ok((await main(officer)).includes(firstCard.name));
    });

    await step('the officer starts the review; the applicant is mailed', async () => {
      await takeStep('start_review');
      await assertMailed('step_taken', 'in_review');
    });

    await step('the officer keeps a note for the agency and writes to the applicant; the applicant is mailed', async () => {
      const notes = officer.locator('[data-notes]');
      await notes.getByLabel(t('th', 'applications.officer.note'), { exact: true }).fill(note);
      await press(officer, notes.locator('button[data-add-note]'));
      assert.equal(officerTab.status(), 200, await main(officer));
      assert.ok((await officer.locator('[data-notes]').innerText()).includes(note));
      await officerTab.audit();
      const thread = officer.locator('[data-messages]');
      await thread.getByLabel(t('th', 'applications.messages.write'), { exact: true }).fill(question);
      await press(officer, thread.locator('button[data-send-message]'));
      assert.equal(officerTab.status(), 200, await main(officer));
      assert.ok((await officer.locator('[data-thread]').innerText()).includes(question));
      await officerTab.audit();
      mails += 1;
      const received = await mailTo(person.email, mails);
      assert.equal(received.length, mails, received.map((m) => m.mail.subject).join(' | '));
      const { mail } = received.at(-1);
      assert.equal(mail.subject, tf('notifications.message.subject', { service: info.name.th }));
      for (const part of [mail.subject, mail.text, mail.html]) {
        assert.ok(!part.includes(question) && !part.includes(note), 'what was written is in the mail');
      }
    });

    await step('the applicant reads the message, never the note, and answers', async () => {
      await openApplication();
      const thread = you.locator('[data-messages]');
      assert.ok((await thread.innerText()).includes(question));
      assert.ok(!(await you.content()).includes(note), 'the applicant is shown the agency\'s note');
      await thread.getByLabel(t('th', 'applications.messages.write'), { exact: true }).fill(answer);
      await press(you, thread.locator('button[data-send-message]'));
      assert.equal(applicantTab.status(), 200, await main(you));
      assert.ok((await you.locator('[data-thread]').innerText()).includes(answer));
      await applicantTab.audit();
    });

    await step('the officer finds the answer among their notifications and reads it in the thread', async () => {
      await officerTab.goto('/notifications');
      assert.equal(officerTab.status(), 200);
      const told = officer.locator('[data-notice]').first();
      assert.ok((await told.innerText()).includes(reference), await told.innerText());
      await officerTab.audit();
      await press(officer, told.locator('a'));
      assert.match(officer.url(), new RegExp(`/agency/applications/${id}#messages$`));
      assert.ok((await officer.locator('[data-thread]').innerText()).includes(answer));
    });

    await step('the officer asks for a clearer ID card, with a reason; the applicant is mailed, without it', async () => {
      await takeStep('request_information', async (stepped) => {
        await stepped.getByLabel(t('th', 'applications.officer.reason'), { exact: true }).fill(reason);
        await stepped.getByRole('checkbox', { name: label('mover_id_card'), exact: true }).check();
      });
      const entry = officer.locator('[data-timeline] > li').last();
      assert.ok((await entry.innerText()).includes(reason));
      assert.ok((await entry.innerText()).includes(label('mover_id_card')));
      await assertMailed('step_taken', 'information_requested');
    });

    await step('the applicant reads what was asked: the reason and the document', async () => {
      await openApplication();
      assert.equal((await you.locator('[data-status]').innerText()).trim(), status('information_requested'));
      const asked = you.locator('[data-asked]');
      assert.ok((await asked.innerText()).includes(reason), await asked.innerText());
      assert.deepEqual((await asked.locator('[data-asked-items] li').allInnerTexts()).map((s) => s.trim()),
        [label('mover_id_card')]);
      assert.deepEqual((await timeline(you)).slice(-3),
        [t('th', 'applications.timeline.submitted'), status('in_review'), status('information_requested')]);
    });

    await step('opens the change page: only the document asked for, with the reason', async () => {
      await press(you, you.locator('a[data-amend]'));
      assert.match(you.url(), new RegExp(`/applications/${id}/amend$`));
      assert.equal(applicantTab.status(), 200);
      assert.ok((await you.locator('[data-reason]').innerText()).includes(reason));
      assert.deepEqual(await you.locator('[data-field]').evaluateAll((els) => els.map((e) => e.dataset.field)),
        ['mover_id_card']);
      assert.ok((await main(you)).includes(firstCard.name));
      await applicantTab.audit();
    });

    await step('replaces the file: it is sent ahead and attached, not yet sent to the agency', async () => {
      await Promise.all([
        you.waitForURL(new RegExp(`/applications/${id}/amend\\?saved=1$`), { timeout: 30000 }),
        you.locator('input[type=file][name="mover_id_card"]').setInputFiles(clearCard),
      ]);
      await you.getByRole('heading', { name: t('th', 'applications.amend.saved_title') }).waitFor();
      // The new file is the one attached; the old one stays in the wallet, offered to pick.
      const attached = you.locator('[data-field="mover_id_card"] p').filter({ hasText: t('th', 'applications.document.attached') });
      assert.equal((await attached.locator('strong').innerText()).trim(), clearCard.name);
      await applicantTab.audit();
    });

    await step('sends the changes: the application is back with the agency; the applicant is mailed', async () => {
      await press(you, you.locator('button[name=action][value=send]'));
      assert.match(you.url(), new RegExp(`/applications/${id}\\?sent=1$`));
      assert.equal(applicantTab.status(), 200);
      await you.getByRole('heading', { name: t('th', 'applications.show.sent_title') }).waitFor();
      assert.equal((await you.locator('[data-status]').innerText()).trim(), status('resubmitted'));
      assert.equal(await you.locator('[data-asked]').count(), 0);
      const changed = you.locator('[data-timeline] > li').filter({ hasText: t('th', 'applications.timeline.amended') });
      assert.equal(await changed.count(), 1, await you.locator('[data-timeline]').innerText());
      assert.ok((await changed.innerText()).includes(label('mover_id_card')));
      await applicantTab.audit();
      await assertMailed('step_confirmed', 'resubmitted');
    });

    await step('the officer finds it back in the queue, with the new file', async () => {
      await openFromQueue('resubmitted');
      const href = `/agency/applications/${id}/documents/mover_id_card`;
      const file = await officer.request.get(new URL(href, officer.url()).href);
      assert.equal(file.status(), 200);
      assert.equal(file.headers()['content-type'], 'image/png');
      assert.ok((await file.body()).equals(clearCard.buffer), 'the officer does not get the new file');
    });

    await step('the officer reviews it again; the applicant is mailed', async () => {
      await takeStep('start_review');
      await assertMailed('step_taken', 'in_review');
    });

    await step('the officer confirms the checklist and approves; the applicant is mailed the decision', async () => {
      await takeStep('approve', async (stepped) => {
        for (const line of transition('approve').checklist) {
          await stepped.getByRole('checkbox', { name: line.th, exact: true }).check();
        }
      });
      assert.equal(await officer.locator('form[data-step]').count(), 0, 'steps are offered after the decision');
      await assertMailed('step_taken_decided', 'approved');
    });

    await step('the agency\'s supervisor sees the decision on the dashboard, and the note on the application', async () => {
      const supervisorTab = await Tab.open(browser, { javaScriptEnabled: false });
      try {
        const boss = supervisorTab.page;
        await supervisorTab.goto('/login');
        await boss.getByLabel(t('th', 'accounts.fields.login.label'), { exact: true }).fill(supervisorAccount.email);
        await boss.getByLabel(t('th', 'accounts.fields.login_password.label'), { exact: true }).fill(supervisorAccount.password);
        await press(boss, button(boss, 'accounts.login.submit'));
        assert.equal(supervisorTab.status(), 200, await main(boss));
        await press(boss, boss.locator('a.site-nav__link[href="/agency/dashboard"]'));
        assert.equal(supervisorTab.status(), 200);
        await boss.getByRole('heading', { level: 1, name: t('th', 'dashboard.title'), exact: true }).waitFor();
        // Each chart is a drawing with a table of the same figures beside it.
        assert.ok(await boss.locator('[data-dashboard] figure svg').count() >= 3);
        assert.ok(await boss.locator('[data-dashboard] table caption').count() >= 3);
        const decided = boss.locator('[data-dashboard-decided]');
        assert.ok((await decided.innerText()).includes(status('approved')), await decided.innerText());
        await supervisorTab.audit();
        // The staff's duties: a form for each colleague, none for the supervisor's own; saving
        // a colleague's duties unchanged says so and records no change.
        await press(boss, boss.locator('a.site-nav__link[href="/agency/duties"]'));
        assert.equal(supervisorTab.status(), 200, await main(boss));
        await boss.getByRole('heading', { level: 1, name: t('th', 'accounts.staff.title'), exact: true }).waitFor();
        assert.equal(await boss.locator('[data-own-duties]').count(), 1);
        const finance = boss.locator('[data-member]').filter({ hasText: supervisorAccount.email.replace(/^supervisor\./, 'finance.') });
        assert.equal(await finance.getByRole('checkbox', { name: t('th', 'accounts.staff.duty.finance'), exact: true }).isChecked(), true);
        const recorded = await boss.locator('[data-duty-change]').count();
        await supervisorTab.audit();
        await press(boss, finance.getByRole('button', { name: t('th', 'accounts.staff.save'), exact: true }));
        assert.equal(supervisorTab.status(), 200, await main(boss));
        assert.ok((await main(boss)).includes(t('th', 'accounts.staff.done_title')));
        assert.equal(await boss.locator('[data-duty-change]').count(), recorded);
        await supervisorTab.audit();
        await supervisorTab.goto(`/agency/applications/${id}`);
        assert.equal(supervisorTab.status(), 200);
        assert.ok((await boss.locator('[data-notes]').innerText()).includes(note));
        assert.equal((await boss.locator('[data-status]').innerText()).trim(), status('approved'));
        await supervisorTab.audit();
      } finally {
        await supervisorTab.close();
      }
    });

    await step('the applicant sees the decision and every step on the timeline', async () => {
      await openApplication();
      assert.equal((await you.locator('[data-status]').innerText()).trim(), status('approved'));
      assert.equal(await you.locator('[data-asked], a[data-amend], form[data-step]').count(), 0);
      const seen = await timeline(you);
      const expected = [
        t('th', 'applications.timeline.submitted'), status('in_review'), status('information_requested'),
        t('th', 'applications.timeline.amended'), status('resubmitted'), status('in_review'), status('approved'),
      ];
      assert.deepEqual(seen.slice(-expected.length), expected, seen.join(' › '));
    });

    await step('the applicant finds each step among their notifications, the newest first', async () => {
      await press(you, you.locator('a[data-nav-notifications]'));
      assert.equal(applicantTab.status(), 200);
      await you.getByRole('heading', { name: t('th', 'notifications.inbox.title'), exact: true }).waitFor();
      const first = you.locator('[data-notice]').first();
      assert.ok((await first.innerText()).includes(status('approved')), await first.innerText());
      assert.equal(await first.locator('a').getAttribute('href'), `/applications/${id}`);
      assert.ok(await you.locator('[data-notice][data-unread]').count() >= 1, 'nothing is marked new');
      await applicantTab.audit();
      // Shown once, they are read.
      await applicantTab.goto('/notifications');
      assert.equal(await you.locator('[data-notice][data-unread]').count(), 0);
      await press(you, first.locator('a'));
      assert.match(you.url(), new RegExp(`/applications/${id}$`));
    });

    await step('the applicant was mailed once a step, and no more', async () => {
      await new Promise((resolve) => setTimeout(resolve, 2500));  // two more rounds of the outbox
      const received = await mailTo(person.email, mails + 1, 0);
      assert.equal(received.length, mails, received.map((m) => m.mail.subject).join(' | '));
    });
  } finally {
    await officerTab.close();
    await applicantTab.close();
  }
});
