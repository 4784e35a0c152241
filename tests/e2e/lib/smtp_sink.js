// An SMTP server for the C++ tests (src/domains/notifications/smtp_transport_test.cpp) and the
// browser journeys (run.sh points pratu at it), made of npm's smtp-server and read back with
// mailparser: code nobody in Pratu wrote.
//   node tests/e2e/lib/smtp_sink.js OUT_DIR [PORT]
// Listens on 127.0.0.1 on PORT (a free port when not given), prints {"port": N} on one line, and writes each message
// it accepts to OUT_DIR as <n>.eml (the bytes received) and then <n>.json (envelope, parsed
// headers and bodies). Recipients beginning "refuse" get 550 and "later" 451. Accepts AUTH
// PLAIN/LOGIN as pratu/secret (without TLS). Stops on SIGTERM.
import { writeFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';

const outDir = process.argv[2];
let count = 0;

const server = new SMTPServer({
  disabledCommands: ['STARTTLS'],
  authOptional: true,
  allowInsecureAuth: true,
  logger: false,
  onAuth(auth, session, callback) {
    if (auth.username === 'pratu' && auth.password === 'secret') return callback(null, { user: 'pratu' });
    return callback(new Error('Invalid username or password'));
  },
  onRcptTo(address, session, callback) {
    const error = (code, text) => Object.assign(new Error(text), { responseCode: code });
    if (address.address.startsWith('refuse')) return callback(error(550, 'No such user here'));
    if (address.address.startsWith('later')) return callback(error(451, 'Try again later'));
    return callback();
  },
  onData(stream, session, callback) {
    const chunks = [];
    stream.on('data', (chunk) => chunks.push(chunk));
    stream.on('end', async () => {
      try {
        const raw = Buffer.concat(chunks);
        const mail = await simpleParser(raw);
        const record = {
          user: session.user ?? null,
          mailFrom: session.envelope.mailFrom.address,
          rcptTo: session.envelope.rcptTo.map((r) => r.address),
          from: mail.from?.value ?? [],
          to: mail.to?.value ?? [],
          subject: mail.subject,
          messageId: mail.messageId,
          date: mail.date?.toISOString() ?? null,
          text: mail.text,
          html: mail.html,
          headerLines: mail.headerLines.map((h) => h.key),
        };
        const name = join(outDir, String(++count));
        // Each file appears whole (written aside, then renamed), the raw message first.
        writeFileSync(`${name}.eml.tmp`, raw);
        renameSync(`${name}.eml.tmp`, `${name}.eml`);
        writeFileSync(`${name}.json.tmp`, JSON.stringify(record));
        renameSync(`${name}.json.tmp`, `${name}.json`);
        callback();
      } catch (e) {
        callback(e);
      }
    });
  },
});

server.listen(Number(process.argv[3] ?? 0), '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: server.server.address().port })}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
