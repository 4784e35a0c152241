// Sending documents to the wallet with tus-js-client, the tus client people use: a PDF sent in
// 64 KiB chunks through a connection cut midway, then resumed by a new client from the upload's
// URL, arrives byte for byte; files are judged by their content, not their name; and
// somebody else's upload does not exist. Each applicant registers afresh, through the page as a
// person does, and signs in to the API with a bearer token.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import * as tus from 'tus-js-client';
import { baseUrl } from '../lib/browser.js';
import { stepsOf } from '../lib/journey.js';
import { t } from '../lib/locales.js';
import { randomCitizenId } from '../lib/thai_id.js';

const chunkSize = 64 * 1024;
const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

/**
 * A one-page PDF with a correct cross-reference table, padded with a stream of `padding` random
 * bytes (no filter, referenced from nowhere the page is drawn from) so that it takes many chunks.
 */
function paddedPdf(padding) {
  const parts = [Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  const offsets = [];
  let length = parts[0].length;
  const add = (bytes) => {
    parts.push(bytes);
    length += bytes.length;
  };
  const object = (number, ...body) => {
    offsets[number] = length;
    add(Buffer.from(`${number} 0 obj\n`));
    for (const b of body) add(typeof b === 'string' ? Buffer.from(b) : b);
    add(Buffer.from('\nendobj\n'));
  };
  object(1, '<< /Type /Catalog /Pages 2 0 R /PieceInfo << /Pratu << /Private 4 0 R >> >> >>');
  object(2, '<< /Type /Pages /Kids [3 0 R] /Count 1 >>');
  object(3, '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>');
  object(4, `<< /Length ${padding} >>\nstream\n`, randomBytes(padding), '\nendstream');
  const xref = length;
  const entries = offsets.slice(1).map((o) => `${String(o).padStart(10, '0')} 00000 n \n`);
  add(Buffer.from(`xref\n0 ${offsets.length}\n0000000000 65535 f \n${entries.join('')}`));
  add(Buffer.from(`trailer\n<< /Size ${offsets.length} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`));
  return Buffer.concat(parts);
}

/** Whether qpdf, which the server runs on every PDF, finds `bytes` sound; its words if not. */
function qpdfCheck(bytes) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pratu-e2e-pdf-'));
  try {
    const file = path.join(dir, 'file.pdf');
    fs.writeFileSync(file, bytes);
    const run = spawnSync('qpdf', ['--check', file], { encoding: 'utf8' });
    return { ok: run.status === 0, output: `${run.stdout}${run.stderr}${run.error ?? ''}` };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The cookies a response sets, as a Cookie header would send them back. */
function cookiesOf(response, jar = new Map()) {
  for (const line of response.headers.getSetCookie()) {
    const [pair] = line.split(';');
    const at = pair.indexOf('=');
    jar.set(pair.slice(0, at).trim(), pair.slice(at + 1));
  }
  return jar;
}
const cookieHeader = (jar) => [...jar].map(([name, value]) => `${name}=${value}`).join('; ');

/** Registers a new applicant through the registration page; the API bearer token. */
async function newApplicant(tag) {
  const nationalId = randomCitizenId();
  const password = `Upl-${Math.random().toString(36).slice(2, 10)}-ประตู-7`;
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
      national_id: nationalId,
      title: 'mrs',
      given_name: 'สมศรี',
      family_name: 'ส่งเอกสาร',
      email: `e2e-uploads-${tag}-${Date.now()}@example.org`,
      mobile: '089' + String(Math.floor(Math.random() * 1e7)).padStart(7, '0'),
      password,
      password_confirmation: password,
      csrf_token: csrf,
    }),
  });
  assert.equal(registered.status, 303, `registering answered ${registered.status}: ${await registered.text()}`);
  const token = await fetch(`${baseUrl()}/api/v1/tokens`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ login: nationalId, password }),
  });
  assert.equal(token.status, 201, `POST /api/v1/tokens answered ${token.status}`);
  return (await token.json()).token;
}

/** The headers of every request an applicant makes to the tus API. */
const signedIn = (token) => ({ Authorization: `Bearer ${token}`, 'Accept-Language': 'th' });

/** A tus request of the applicant's own, outside tus-js-client. */
function call(token, method, target, { headers = {}, body } = {}) {
  return fetch(new URL(target, baseUrl()), {
    method,
    headers: { ...signedIn(token), 'Tus-Resumable': '1.0.0', ...headers },
    body,
  });
}

async function wallet(token) {
  const response = await call(token, 'GET', '/api/v1/wallet');
  assert.equal(response.status, 200);
  return (await response.json()).documents;
}

/**
 * Sends `bytes` with tus-js-client; resolves with what happened: `done` (and the
 * Upload-Document the last PATCH answered) or `error`, and the PATCHes' Upload-Offsets.
 */
function send(bytes, { token, endpoint = `${baseUrl()}/api/v1/uploads`, uploadUrl, filename, filetype }) {
  return new Promise((resolve) => {
    const result = { patchOffsets: [], acknowledged: 0 };
    const upload = new tus.Upload(bytes, {
      endpoint,
      uploadUrl,
      chunkSize,
      retryDelays: null, // a dropped connection is the test's to resume, not the client's
      headers: signedIn(token),
      metadata: { filename, filetype },
      onBeforeRequest(req) {
        if (req.getMethod() === 'PATCH') result.patchOffsets.push(Number(req.getHeader('Upload-Offset')));
      },
      onAfterResponse(req, res) {
        if (req.getMethod() === 'PATCH' && res.getHeader('Upload-Document')) {
          result.document = res.getHeader('Upload-Document');
        }
      },
      onChunkComplete(_sent, accepted) {
        result.acknowledged = accepted;
      },
      onSuccess() {
        resolve({ ...result, done: true, url: upload.url });
      },
      onError(error) {
        resolve({ ...result, error, url: upload.url });
      },
    });
    upload.start();
  });
}

/**
 * A proxy in front of the server that forwards everything until `cutAfter` bytes of PATCH
 * bodies have gone through, then closes the server's side after those bytes (mid-chunk) and
 * drops the client's: a connection lost on the way. It reads the requests' heads only to tell
 * a PATCH body from the rest (every request has a Content-Length: tus-js-client sends whole
 * chunks).
 */
function cuttingProxy(target, cutAfter) {
  const state = { patchBytes: 0, cut: false };
  const server = net.createServer((client) => {
    if (state.cut) return client.destroy();
    const upstream = net.connect(Number(target.port), target.hostname);
    upstream.on('data', (d) => client.write(d));
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
    upstream.on('end', () => client.end());
    client.on('end', () => upstream.end());
    let head = Buffer.alloc(0);
    let remaining = 0; // body bytes of the request being forwarded
    let isPatch = false;
    client.on('data', (data) => {
      while (data.length > 0 && !state.cut) {
        if (remaining === 0) {
          head = Buffer.concat([head, data]);
          const end = head.indexOf('\r\n\r\n');
          if (end < 0) return;
          const text = head.subarray(0, end).toString('latin1');
          assert.doesNotMatch(text, /^transfer-encoding:/im, 'the proxy expects Content-Length bodies');
          isPatch = text.startsWith('PATCH ');
          remaining = Number(text.match(/^content-length:\s*(\d+)/im)?.[1] ?? 0);
          upstream.write(head.subarray(0, end + 4));
          data = head.subarray(end + 4);
          head = Buffer.alloc(0);
          continue;
        }
        let piece = data.subarray(0, remaining);
        if (isPatch && state.patchBytes + piece.length >= cutAfter) {
          piece = piece.subarray(0, cutAfter - state.patchBytes);
          state.cut = true;
        }
        upstream.write(piece);
        remaining -= piece.length;
        if (isPatch) state.patchBytes += piece.length;
        data = data.subarray(piece.length);
      }
      if (state.cut) {
        upstream.end(); // what was written still reaches the server, then its end
        client.destroy();
      }
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${server.address().port}`, server, state }));
  });
}

/** HEAD's Upload-Offset once it says `expected`, or what it last said after a few seconds. */
async function offsetSettlesAt(token, location, expected) {
  let offset;
  for (let i = 0; i < 50 && offset !== expected; i++) {
    if (i > 0) await new Promise((r) => setTimeout(r, 50));
    const head = await call(token, 'HEAD', location);
    assert.equal(head.status, 200);
    offset = Number(head.headers.get('Upload-Offset'));
  }
  return offset;
}

test('an applicant sends a PDF with tus-js-client through a dropped connection, and resumes it', async (journey) => {
  const step = stepsOf(journey);
  const pdf = paddedPdf(384 * 1024 + 777);
  // Two chunks and a half: the cut falls inside the third PATCH's body.
  const cutAfter = 3 * chunkSize + 12_345;
  let token;
  let location;
  let proxy;
  let first;

  try {
    await step('the PDF made for the test is sound to qpdf and takes several chunks', () => {
      const check = qpdfCheck(pdf);
      assert.ok(check.ok, `qpdf --check refused the test's PDF: ${check.output}`);
      assert.ok(pdf.length > 6 * chunkSize, `the PDF is ${pdf.length} bytes`);
    });

    await step('registers and takes a bearer token', async () => {
      token = await newApplicant('pdf');
    });

    await step('the server describes its tus support before signing in', async () => {
      const options = await fetch(`${baseUrl()}/api/v1/uploads`, { method: 'OPTIONS' });
      assert.equal(options.status, 204);
      assert.equal(options.headers.get('Tus-Resumable'), '1.0.0');
      assert.match(options.headers.get('Tus-Extension'), /\bcreation\b/);
      assert.ok(Number(options.headers.get('Tus-Max-Size')) >= pdf.length);
    });

    await step('tus-js-client sends chunks until the connection is cut in the middle of one', async () => {
      proxy = await cuttingProxy(new URL(baseUrl()), cutAfter);
      first = await send(pdf, {
        token,
        endpoint: `${proxy.url}/api/v1/uploads`,
        filename: 'ทะเบียนบ้าน.pdf',
        filetype: 'application/pdf',
      });
      assert.ok(first.error, 'the upload through the cut connection did not fail');
      assert.ok(proxy.state.cut, `the proxy never cut (PATCH bytes ${proxy.state.patchBytes})`);
      assert.deepEqual(first.patchOffsets, [0, chunkSize, 2 * chunkSize, 3 * chunkSize]);
      assert.equal(first.acknowledged, 3 * chunkSize);
      location = new URL(first.url).pathname;
      assert.match(location, /^\/api\/v1\/uploads\/[^/]+$/);
    });

    await step('HEAD says the upload kept every byte that arrived, the cut chunk\'s too', async () => {
      // The server notices the end of the connection on its own time.
      assert.equal(await offsetSettlesAt(token, location, cutAfter), cutAfter);
      const head = await call(token, 'HEAD', location);
      assert.equal(Number(head.headers.get('Upload-Length')), pdf.length);
      assert.equal(head.headers.get('Cache-Control'), 'no-store');
      assert.ok(head.headers.get('Upload-Expires'), 'an unfinished upload says when it expires');
      assert.deepEqual(await wallet(token), [], 'nothing is in the wallet before the upload ends');
    });

    await step('a new tus-js-client resumes from the upload\'s URL and sends only the rest', async () => {
      const rest = await send(pdf, {
        token,
        uploadUrl: new URL(location, baseUrl()).href,
        filename: 'ทะเบียนบ้าน.pdf',
        filetype: 'application/pdf',
      });
      assert.ifError(rest.error);
      assert.ok(rest.done);
      assert.equal(rest.patchOffsets[0], cutAfter, 'the resumed upload did not start where HEAD said');
      assert.equal(rest.patchOffsets.length, Math.ceil((pdf.length - cutAfter) / chunkSize));
      assert.ok(rest.document, 'the last PATCH answered no Upload-Document');
      first.document = rest.document;
    });

    await step('the wallet holds the PDF, byte for byte the file sent', async () => {
      const documents = await wallet(token);
      assert.equal(documents.length, 1, JSON.stringify(documents));
      const [document] = documents;
      assert.equal(document.id, first.document);
      assert.equal(document.sha256, sha256(pdf));
      assert.equal(document.size_bytes, pdf.length);
      assert.equal(document.media_type, 'application/pdf');
      assert.equal(document.filename, 'ทะเบียนบ้าน.pdf');
      const head = await call(token, 'HEAD', location);
      assert.equal(Number(head.headers.get('Upload-Offset')), pdf.length);
    });
  } finally {
    proxy?.server.close();
  }
});

test('files are judged by their content, not by their name', async (journey) => {
  const step = stepsOf(journey);
  const png = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), randomBytes(150 * 1024)]);
  const text = Buffer.from('รายการเอกสาร\nสำเนาทะเบียนบ้าน, สำเนาบัตรประชาชน\n'.repeat(200));
  let token;

  await step('registers and takes a bearer token', async () => {
    token = await newApplicant('content');
  });

  await step('a PNG called scan.pdf is kept as the PNG it is', async () => {
    const sent = await send(png, { token, filename: 'scan.pdf', filetype: 'application/pdf' });
    assert.ifError(sent.error);
    const [document] = await wallet(token);
    assert.equal(document.id, sent.document);
    assert.equal(document.media_type, 'image/png');
    assert.equal(document.filename, 'scan.pdf');
    assert.equal(document.sha256, sha256(png));
  });

  await step('a text file called เอกสาร.pdf is refused with a problem that says why', async () => {
    const sent = await send(text, { token, filename: 'เอกสาร.pdf', filetype: 'application/pdf' });
    assert.ok(sent.error, 'a text file was accepted');
    const response = sent.error.originalResponse;
    assert.ok(response, `no answer came with the error: ${sent.error}`);
    assert.equal(response.getStatus(), 422);
    assert.equal(response.getHeader('Content-Type'), 'application/problem+json');
    assert.equal(response.getHeader('Tus-Resumable'), '1.0.0');
    const problem = JSON.parse(response.getBody());
    assert.equal(problem.status, 422);
    assert.equal(problem.detail, t('th', 'applications.uploads.unsupported_type'));
    // The refused upload is gone, and the wallet still holds only the picture.
    const location = new URL(sent.url).pathname;
    assert.equal((await call(token, 'HEAD', location)).status, 404);
    const documents = await wallet(token);
    assert.deepEqual(documents.map((d) => d.media_type), ['image/png']);
  });
});

test('another applicant cannot see or add to somebody else\'s upload', async (journey) => {
  const step = stepsOf(journey);
  const png = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), randomBytes(100 * 1024)]);
  let owner;
  let stranger;
  let location;

  await step('two applicants register', async () => {
    owner = await newApplicant('owner');
    stranger = await newApplicant('stranger');
  });

  await step('the owner begins an upload and sends its first part', async () => {
    const created = await call(owner, 'POST', '/api/v1/uploads', {
      headers: { 'Upload-Length': String(png.length) },
    });
    assert.equal(created.status, 201);
    location = created.headers.get('Location');
    const patched = await call(owner, 'PATCH', location, {
      headers: { 'Content-Type': 'application/offset+octet-stream', 'Upload-Offset': '0' },
      body: png.subarray(0, chunkSize),
    });
    assert.equal(patched.status, 204);
  });

  await step('for the other applicant the upload does not exist: HEAD, PATCH and DELETE find nothing', async () => {
    const head = await call(stranger, 'HEAD', location);
    assert.equal(head.status, 404);
    assert.equal(head.headers.get('Upload-Offset'), null);
    const patch = await call(stranger, 'PATCH', location, {
      headers: { 'Content-Type': 'application/offset+octet-stream', 'Upload-Offset': String(chunkSize) },
      body: png.subarray(chunkSize),
    });
    assert.equal(patch.status, 404);
    assert.equal((await patch.json()).detail, t('th', 'applications.uploads.not_found'));
    assert.equal((await call(stranger, 'DELETE', location)).status, 404);
    // Nor can tus-js-client resume it for them.
    const resumed = await send(png, { token: stranger, uploadUrl: new URL(location, baseUrl()).href, endpoint: null });
    assert.ok(resumed.error, 'the stranger resumed the upload');
    assert.equal(resumed.error.originalResponse?.getStatus(), 404, String(resumed.error));
  });

  await step('the owner\'s upload is untouched and the owner finishes it', async () => {
    const head = await call(owner, 'HEAD', location);
    assert.equal(head.status, 200);
    assert.equal(Number(head.headers.get('Upload-Offset')), chunkSize);
    const rest = await send(png, { token: owner, uploadUrl: new URL(location, baseUrl()).href });
    assert.ifError(rest.error);
    assert.equal(rest.patchOffsets[0], chunkSize);
    assert.deepEqual((await wallet(owner)).map((d) => d.sha256), [sha256(png)]);
    assert.deepEqual(await wallet(stranger), []);
  });
});
