/// A small RFC 3161 timestamp service for tests: a POSTed TimeStampReq
/// (Content-Type: application/timestamp-query) is answered by `openssl ts -reply`, run as a
/// child process with a temporary configuration, and sent back as
/// application/timestamp-reply. Node 20, no npm packages.
///
///   node tsa_server.js <port> <tsa.pem> <tsa.key> <tsa-chain.pem>
///
/// Port 0 picks a free one; "listening <port>" on stdout says it is ready (nothing else goes
/// to stdout). Besides `/`, a few paths misbehave on purpose, for a client's tests:
/// `/slow` answers after three seconds, `/huge` with 256 KiB of zeros, `/status/503` with that
/// status, and `/replay` with the first reply it ever made (another request's nonce).
'use strict';

const { execFile } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');

const kMaxRequestBytes = 64 * 1024;
const kTestPolicy = '2.999.1.3161.1'; // Pratu's test arc, as crypto::kTestTimestampPolicy

const [portArg, certPath, keyPath, chainPath] = process.argv.slice(2);
if (!portArg || !certPath || !keyPath || !chainPath) {
  process.stderr.write('usage: node tsa_server.js <port> <tsa.pem> <tsa.key> <tsa-chain.pem>\n');
  process.exit(2);
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pratu-tsa-'));

// The certificates sent with each token besides the TSA's own, which openssl adds itself.
const pemBlocks = (text) =>
  text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) || [];
const own = new Set(pemBlocks(fs.readFileSync(certPath, 'utf8')));
const chain = pemBlocks(fs.readFileSync(chainPath, 'utf8')).filter((block) => !own.has(block));
const chainFile = path.join(dir, 'chain.pem');
fs.writeFileSync(chainFile, chain.join('\n') + '\n');

// Serial numbers from a random start, kept by openssl in this file.
const serialFile = path.join(dir, 'serial');
fs.writeFileSync(serialFile, '01' + crypto.randomBytes(8).toString('hex') + '\n');

const configFile = path.join(dir, 'tsa.cnf');
fs.writeFileSync(
  configFile,
  [
    '[ tsa ]',
    'default_tsa = tsa_config',
    '[ tsa_config ]',
    `serial = ${serialFile}`,
    'crypto_device = builtin',
    `signer_cert = ${path.resolve(certPath)}`,
    ...(chain.length > 0 ? [`certs = ${chainFile}`] : []),
    `signer_key = ${path.resolve(keyPath)}`,
    'signer_digest = sha256',
    `default_policy = ${kTestPolicy}`,
    'digests = sha256, sha384, sha512',
    'accuracy = secs:1',
    'clock_precision_digits = 0',
    'ordering = no',
    'tsa_name = no',
    'ess_cert_id_chain = no',
    'ess_cert_id_alg = sha256',
    '',
  ].join('\n'),
);

let requests = 0;
let firstReply = null;

// One `openssl ts -reply` for the DER request `query`; resolves with the DER reply.
function makeReply(query) {
  return new Promise((resolve, reject) => {
    const id = ++requests;
    const queryFile = path.join(dir, `${id}.tsq`);
    const replyFile = path.join(dir, `${id}.tsr`);
    fs.writeFileSync(queryFile, query);
    execFile(
      'openssl',
      ['ts', '-reply', '-config', configFile, '-queryfile', queryFile, '-out', replyFile],
      { timeout: 10_000 },
      (error, _stdout, stderr) => {
        fs.rmSync(queryFile, { force: true });
        if (error) {
          fs.rmSync(replyFile, { force: true });
          reject(new Error(stderr || error.message));
          return;
        }
        const reply = fs.readFileSync(replyFile);
        fs.rmSync(replyFile, { force: true });
        if (firstReply === null) firstReply = reply;
        resolve(reply);
      },
    );
  });
}

// openssl keeps the serial number in a file: one request at a time.
let queue = Promise.resolve();
const inTurn = (work) => {
  const next = queue.then(work, work);
  queue = next.catch(() => {});
  return next;
};

const send = (response, status, type, body) => {
  response.writeHead(status, { 'Content-Type': type, 'Content-Length': body.length });
  response.end(body);
};

const server = http.createServer((request, response) => {
  if (request.method !== 'POST') {
    response.writeHead(405, { Allow: 'POST' });
    response.end();
    return;
  }
  const type = (request.headers['content-type'] || '').split(';')[0].trim().toLowerCase();
  if (type !== 'application/timestamp-query') {
    send(response, 415, 'text/plain', Buffer.from('send application/timestamp-query\n'));
    return;
  }
  const chunks = [];
  let size = 0;
  request.on('data', (chunk) => {
    size += chunk.length;
    if (size > kMaxRequestBytes) {
      send(response, 413, 'text/plain', Buffer.from('request too large\n'));
      request.destroy();
      return;
    }
    chunks.push(chunk);
  });
  request.on('end', () => {
    if (size > kMaxRequestBytes) return;
    const route = request.url || '/';
    if (route.startsWith('/status/')) {
      send(response, Number(route.slice(8)) || 500, 'text/plain', Buffer.from('as asked\n'));
      return;
    }
    if (route === '/huge') {
      send(response, 200, 'application/timestamp-reply', Buffer.alloc(256 * 1024));
      return;
    }
    inTurn(() => makeReply(Buffer.concat(chunks))).then(
      (reply) => {
        const body = route === '/replay' ? firstReply : reply;
        const delay = route === '/slow' ? 3000 : 0;
        setTimeout(() => send(response, 200, 'application/timestamp-reply', body), delay);
      },
      (error) => {
        process.stderr.write(`tsa_server: ${error.message}\n`);
        send(response, 400, 'text/plain', Buffer.from('not a timestamp request\n'));
      },
    );
  });
});

const stop = () => {
  server.close();
  fs.rmSync(dir, { recursive: true, force: true });
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

server.listen(Number(portArg), '127.0.0.1', () => {
  process.stdout.write(`listening ${server.address().port}\n`);
});
