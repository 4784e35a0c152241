// The words the pages show, read from the project's locale files, so the tests follow them.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

const trees = {};

// One language's strings: every file of locales/<lang>/ (common.yaml and one per domain).
function tree(lang) {
  if (!trees[lang]) {
    const dir = path.join(process.env.LOCALES_DIR || path.join(repoRoot, 'locales'), lang);
    trees[lang] = {};
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()) {
      Object.assign(trees[lang], YAML.parse(fs.readFileSync(path.join(dir, file), 'utf8')));
    }
  }
  return trees[lang];
}

/** The text for a dotted key in `lang` ("th" | "en"); throws naming the key when missing. */
export function t(lang, key) {
  let node = tree(lang);
  for (const part of key.split('.')) {
    if (node === null || typeof node !== 'object' || !(part in node)) {
      throw new Error(`locale key ${key} is missing from locales/${lang}/`);
    }
    node = node[part];
  }
  if (typeof node !== 'string') throw new Error(`locale key ${key} in ${lang} is not a string`);
  return node;
}

/** `t` with "{name}" placeholders replaced by a pattern that matches anything. */
export function pattern(lang, key) {
  const parts = t(lang, key).split(/\{[a-z_]+\}/);
  return new RegExp(parts.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.+'));
}
