// The load generator of bench/upload.sh: sends FILES uploads of SIZE bytes over tus 1.0 (POST,
// then PATCH), PARALLEL at a time, each worker on its own keep-alive connection, and prints
// what it measured as "key value" lines. Each file is a PNG signature, a tag naming the run
// and the file (so that no two are the same blob), then the bytes of POOL; the wallet's
// SHA-256 of each is checked afterwards, outside the measured time. Plain Node, no packages.
//   node bench/upload_load.mjs --url URL --token TOKEN --pool FILE --files N --size BYTES
//        --parallel P [--chunk BYTES] [--run NAME] [--server-pid PID]
//     --chunk       bytes a PATCH carries (default 0: the whole file in one PATCH, as
//                   tus-js-client sends it unless told a chunk size)
//     --server-pid  sample the server's VmRSS every 50 ms while the uploads run
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import { parseArgs } from 'node:util';

const { values: o } = parseArgs({
  options: {
    url: { type: 'string' },
    token: { type: 'string' },
    pool: { type: 'string' },
    files: { type: 'string', default: '8' },
    size: { type: 'string' },
    parallel: { type: 'string', default: '4' },
    chunk: { type: 'string', default: '0' },
    run: { type: 'string', default: '1' },
    'server-pid': { type: 'string', default: '0' },
  },
});
for (const required of ['url', 'token', 'pool', 'size']) {
  if (!o[required]) throw new Error(`upload_load: --${required} is required`);
}
const files = Number(o.files);
const size = Number(o.size);
const parallel = Math.min(Number(o.parallel), files);
const chunk = Number(o.chunk) > 0 ? Number(o.chunk) : size;
const serverPid = Number(o['server-pid']);
const base = new URL(o.url);

const pool = fs.readFileSync(o.pool);
const png = Buffer.from('89504e470d0a1a0a', 'hex');
/** The first bytes of file i: the PNG signature and a line naming the run and the file. */
const prefix = (i) => Buffer.concat([png, Buffer.from(`run ${o.run} file ${i}`.padEnd(15) + '\n')]);
if (pool.length + prefix(0).length < size) throw new Error('upload_load: the pool is smaller than a file');

/** The bytes [start, end) of file i, as slices of its prefix and the pool (no copy). */
function slices(i, start, end) {
  const head = prefix(i);
  const out = [];
  if (start < head.length) out.push(head.subarray(start, Math.min(end, head.length)));
  const from = Math.max(start, head.length) - head.length;
  const to = end - head.length;
  if (to > from) out.push(pool.subarray(from, to));
  return out;
}

const headers = { Authorization: `Bearer ${o.token}`, 'Tus-Resumable': '1.0.0' };
const sockets = new Set();

/** One request on `agent`; resolves with the status and headers once the answer is read. */
function request(agent, method, path, extra, body = []) {
  return new Promise((resolve, reject) => {
    const length = body.reduce((n, b) => n + b.length, 0);
    const req = http.request(
      {
        host: base.hostname,
        port: base.port,
        method,
        path,
        agent,
        headers: { ...headers, ...extra, 'Content-Length': length },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, text }));
      },
    );
    req.on('socket', (s) => sockets.add(s));
    req.on('error', reject);
    for (const b of body) req.write(b);
    req.end();
  });
}

const memory = { max: 0 };
function sampleRss() {
  try {
    const kib = Number(fs.readFileSync(`/proc/${serverPid}/status`, 'utf8').match(/^VmRSS:\s+(\d+)/m)[1]);
    memory.max = Math.max(memory.max, kib);
  } catch {
    // the server is gone; the shell notices
  }
}

let next = 0;
const results = [];
async function worker() {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  while (next < files) {
    const i = next++;
    const began = performance.now();
    const created = await request(agent, 'POST', '/api/v1/uploads', {
      'Upload-Length': String(size),
      'Upload-Metadata': `filename ${Buffer.from(`bench-${o.run}-${i}.png`).toString('base64')}`,
    });
    if (created.status !== 201) throw new Error(`POST answered ${created.status}: ${created.text}`);
    const location = created.headers.location;
    let answer;
    for (let offset = 0; offset < size; offset += chunk) {
      const end = Math.min(size, offset + chunk);
      answer = await request(
        agent,
        'PATCH',
        location,
        { 'Content-Type': 'application/offset+octet-stream', 'Upload-Offset': String(offset) },
        slices(i, offset, end),
      );
      if (answer.status !== 204) throw new Error(`PATCH at ${offset} answered ${answer.status}: ${answer.text}`);
    }
    if (Number(answer.headers['upload-offset']) !== size || !answer.headers['upload-document']) {
      throw new Error(`the last PATCH of file ${i} did not finish it: ${JSON.stringify(answer.headers)}`);
    }
    results.push({ i, seconds: (performance.now() - began) / 1000, document: answer.headers['upload-document'] });
  }
  agent.destroy();
}

const sampler = serverPid > 0 ? setInterval(sampleRss, 50) : null;
sampleRss();
const started = performance.now();
await Promise.all(Array.from({ length: parallel }, worker));
const seconds = (performance.now() - started) / 1000;
const connections = sockets.size;
if (sampler) clearInterval(sampler);
sampleRss();

// Outside the measured time: every file is in the wallet, byte for byte.
const wallet = await request(undefined, 'GET', '/api/v1/wallet', {});
const stored = new Map(JSON.parse(wallet.text).documents.map((d) => [d.id, d]));
let verified = 0;
for (const r of results) {
  const hash = createHash('sha256');
  for (const b of slices(r.i, 0, size)) hash.update(b);
  const document = stored.get(r.document);
  if (document && document.sha256 === hash.digest('hex') && document.size_bytes === size) verified++;
}

const per = results.map((r) => r.seconds).sort((a, b) => a - b);
const bytes = files * size;
console.log(`files ${files}`);
console.log(`bytes ${bytes}`);
console.log(`seconds ${seconds.toFixed(3)}`);
console.log(`mb_per_second ${(bytes / 1e6 / seconds).toFixed(1)}`);
console.log(`mib_per_second ${(bytes / 1048576 / seconds).toFixed(1)}`);
console.log(`patches_per_file ${Math.ceil(size / chunk)}`);
console.log(`file_seconds_min ${per[0].toFixed(2)}`);
console.log(`file_seconds_max ${per.at(-1).toFixed(2)}`);
console.log(`connections ${connections}`);
console.log(`verified ${verified}`);
console.log(`server_rss_max_kib ${memory.max}`);
