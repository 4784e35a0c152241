// People for the journeys, as tests/support/applicants.cpp makes them for the C++ tests: an
// applicant registered through the page, bearer tokens from POST /api/v1/tokens, applications
// made over the API (for a journey whose subject comes after the form), and signing in to a
// browser tab through the login page.
import assert from 'node:assert/strict';
import { baseUrl } from './browser.js';
import { t } from './locales.js';
import { randomCitizenId } from './thai_id.js';

/** The cookies a response sets, added to `jar`, as a Cookie header sends them back. */
function cookiesOf(response, jar = new Map()) {
  for (const line of response.headers.getSetCookie()) {
    const [pair] = line.split(';');
    const at = pair.indexOf('=');
    jar.set(pair.slice(0, at).trim(), pair.slice(at + 1));
  }
  return jar;
}
const cookieHeader = (jar) => [...jar].map(([name, value]) => `${name}=${value}`).join('; ');

/**
 * Registers a new applicant through the registration page (a fresh citizen ID, so reruns on
 * one database never collide); their details, `password` included.
 */
export async function registerApplicant({ givenName = 'สมศรี', familyName = 'มีสุข', tag = 'applicant' } = {}) {
  const person = {
    nationalId: randomCitizenId(),
    givenName,
    familyName,
    email: `e2e-${tag}-${Date.now()}@example.org`,
    mobile: '089' + String(Math.floor(Math.random() * 1e7)).padStart(7, '0'),
    password: `App-${Math.random().toString(36).slice(2, 10)}-ประตู-5`,
  };
  const form = await fetch(`${baseUrl()}/register`);
  assert.equal(form.status, 200);
  const jar = cookiesOf(form);
  const csrf = (await form.text()).match(/name="csrf_token" value="([^"]+)"/)?.[1];
  assert.ok(csrf, 'the registration page has no CSRF token');
  const registered = await fetch(`${baseUrl()}/register`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: cookieHeader(jar) },
    body: new URLSearchParams({
      national_id: person.nationalId,
      title: 'mrs',
      given_name: person.givenName,
      family_name: person.familyName,
      email: person.email,
      mobile: person.mobile,
      password: person.password,
      password_confirmation: person.password,
      csrf_token: csrf,
    }),
  });
  assert.equal(registered.status, 303, `registering answered ${registered.status}: ${await registered.text()}`);
  return person;
}

/** A bearer token for `login` (a national ID or an e-mail address) from POST /api/v1/tokens. */
export async function apiToken(login, password) {
  const response = await fetch(`${baseUrl()}/api/v1/tokens`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ login, password }),
  });
  const text = await response.text();
  assert.equal(response.status, 201, `POST /api/v1/tokens answered ${response.status}: ${text}`);
  return JSON.parse(text).token;
}

/** A request to the API with `token` as its bearer and no cookies; `json` is sent as the body. */
export function bearer(token, method, target, { json, body, headers = {} } = {}) {
  const sent = { Authorization: `Bearer ${token}`, 'Accept-Language': 'th', ...headers };
  if (json !== undefined) {
    sent['Content-Type'] = 'application/json';
    body = JSON.stringify(json);
  }
  return fetch(new URL(target, baseUrl()), { method, headers: sent, body });
}

/** `bearer`, expecting `status`; the answer's JSON body (null when it has none). */
export async function bearerJson(token, method, target, status, options) {
  const response = await bearer(token, method, target, options);
  const text = await response.text();
  assert.equal(response.status, status, `${method} ${target} answered ${response.status}: ${text}`);
  return text ? JSON.parse(text) : null;
}

/**
 * A picture uploaded over tus to the wallet of the person holding `token`: the wallet's entry.
 * As the C++ tests' `wallet_picture`: PNG's signature and filler, which the server takes for a PNG.
 */
export async function walletPicture(token) {
  const png = Buffer.concat([Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'), Buffer.alloc(4000, 0x42)]);
  const tus = { 'Tus-Resumable': '1.0.0' };
  const created = await bearer(token, 'POST', '/api/v1/uploads', {
    headers: {
      ...tus,
      'Upload-Length': String(png.length),
      'Upload-Metadata': `filename ${Buffer.from('sign.png').toString('base64')}`,
    },
  });
  assert.equal(created.status, 201, `starting the upload answered ${created.status}: ${await created.text()}`);
  const sent = await bearer(token, 'PATCH', created.headers.get('Location'), {
    headers: { ...tus, 'Upload-Offset': '0', 'Content-Type': 'application/offset+octet-stream' },
    body: png,
  });
  assert.equal(sent.status, 204, `sending the picture answered ${sent.status}: ${await sent.text()}`);
  const document = sent.headers.get('Upload-Document');
  assert.ok(document, 'the finished upload names no wallet document');
  const { documents } = await bearerJson(token, 'GET', '/api/v1/wallet', 200);
  const entry = documents.find((d) => d.id === document);
  assert.ok(entry, `the wallet has no document ${document}: ${JSON.stringify(documents)}`);
  return entry;
}

/** Every file answer within `answers` made the wallet's `file`. */
function useWalletFile(answers, file) {
  if (Array.isArray(answers)) return answers.map((a) => useWalletFile(a, file));
  if (answers === null || typeof answers !== 'object') return answers;
  if ('blob' in answers) {
    return { ...answers, blob: file.sha256, media_type: file.media_type, bytes: file.size_bytes };
  }
  return Object.fromEntries(Object.entries(answers).map(([k, v]) => [k, useWalletFile(v, file)]));
}

/** The example answers of `service`'s form schema, every file the wallet's `file`. */
export async function exampleAnswers(service, file) {
  const response = await fetch(`${baseUrl()}/api/v1/services/${service}/form/schema`);
  assert.equal(response.status, 200, `the form schema of ${service} answered ${response.status}`);
  const [example] = (await response.json()).examples;
  assert.ok(example, `the form schema of ${service} has no example`);
  return useWalletFile(example, file);
}

/** A draft of `service` by the person holding `token`, with `answers`: its public id. */
export async function draftOf(token, service, answers) {
  const { id } = await bearerJson(token, 'POST', '/api/v1/applications', 201, { json: { service } });
  await bearerJson(token, 'PATCH', `/api/v1/applications/${id}`, 200, { json: { answers } });
  return id;
}

/** Submits draft `id` of the person holding `token`: the answer (its `reference`, among others). */
export function submitApplication(token, id) {
  return bearerJson(token, 'POST', `/api/v1/applications/${id}/submit`, 201, {
    headers: { 'Idempotency-Key': `e2e-${id}` },
  });
}

/**
 * Signs in as `login` on the login page `tab` shows (where a page that needs an account sends
 * a person), after axe has checked it; the tab is then on the page it was going to.
 */
export async function signIn(tab, login, password) {
  const page = tab.page;
  assert.match(page.url(), /\/login(\?|$)/, `not on the login page: ${page.url()}`);
  await tab.audit();
  await page.getByLabel(t('th', 'accounts.fields.login.label'), { exact: true }).fill(login);
  await page.getByLabel(t('th', 'accounts.fields.login_password.label'), { exact: true }).fill(password);
  await page.getByRole('button', { name: t('th', 'accounts.login.submit'), exact: true }).click();
  await page.waitForLoadState();
  assert.equal(tab.status(), 200, `signing in as ${login} answered ${tab.status()}: ${await page.locator('main').innerText()}`);
}
