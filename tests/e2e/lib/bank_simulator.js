// The bank simulator (`pratu bank-simulator pay`, docs/payments.md) run beside the server the
// journeys talk to, as a bank confirms a payment.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { baseUrl } from './browser.js';

/** The pratu serving BASE_URL, as server.sh started it: its binary, directory, options and environment. */
export function servingProcess() {
  const port = Number(new URL(baseUrl()).port);
  // The listening socket (state 0A) on that port, then the process holding it.
  const inodes = new Set();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6'].filter((f) => fs.existsSync(f))) {
    for (const line of fs.readFileSync(table, 'utf8').split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length > 9 && f[3] === '0A' && parseInt(f[1].split(':')[1], 16) === port) inodes.add(`socket:[${f[9]}]`);
    }
  }
  for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    let fds;
    try {
      fds = fs.readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;  // gone, or not ours to read
    }
    const holds = fds.some((fd) => {
      try {
        return inodes.has(fs.readlinkSync(`/proc/${pid}/fd/${fd}`));
      } catch {
        return false;
      }
    });
    if (!holds) continue;
    const argv = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').slice(0, -1);
    const cwd = fs.readlinkSync(`/proc/${pid}/cwd`);
    const env = Object.fromEntries(fs.readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').filter(Boolean)
      .map((v) => [v.slice(0, v.indexOf('=')), v.slice(v.indexOf('=') + 1)]));
    const option = (name) => {
      const at = argv.indexOf(name);
      if (at >= 0) return argv[at + 1];
      return argv.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1);
    };
    const shared = ['--config', '--database'].flatMap((name) => (option(name) ? [name, option(name)] : []));
    return { binary: path.resolve(cwd, argv[0]), cwd, env, shared };
  }
  throw new Error(`no process of ours listens on port ${port} (${baseUrl()})`);
}

/** `pratu bank-simulator pay BILL --url BASE_URL ...` run as the server runs: its output and exit status. */
export function bankSimulator(bill, ...options) {
  return simulator('pay', bill, '--url', baseUrl(), ...options);
}

/** `pratu bank-simulator statement AGENCY --out FILE`: the day's statement file the bank sends. */
export function bankStatement(agency, file) {
  return simulator('statement', agency, '--out', file);
}

/** `pratu bank-simulator COMMAND...` against the serving process's database and settings. */
function simulator(...command) {
  const server = servingProcess();
  const args = ['bank-simulator', ...command, ...server.shared];
  const run = spawnSync(server.binary, args, { cwd: server.cwd, env: server.env, encoding: 'utf8', timeout: 60000 });
  return { status: run.status, stdout: run.stdout ?? '', said: `${server.binary} ${args.join(' ')}: ` +
    `exit ${run.status}, stdout ${JSON.stringify(run.stdout)}, stderr ${JSON.stringify(run.stderr)}${run.error ?? ''}` };
}
