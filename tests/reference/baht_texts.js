#!/usr/bin/env node
// Amounts in Thai words from jojoee's npm package bahttext, for tests/integration/thai_qr_it.cpp
// to compare with Pratu's amount in words (payments.md §5).
//
// Input, on stdin: one amount a line, a whole number of satang (0 or more). Output: bahttext's
// words for each, one a line, in order.
//
// What is comparable, from bahttext's src/index.js and payments.md §5.2:
// * bahttext takes baht. A number goes through floating point (baht = floor(x), satang from
//   (x * 100) % 100), so each amount is handed over as an exact "B.SS" string instead, which it
//   splits at the point without arithmetic on the fraction.
// * Strings above 2^53 - 1 baht, negative amounts (ลบ, where num2words writes ติดลบ; receipts
//   refuse negatives), more than two fraction digits (1.005) and text such as "1,000" or "1e3"
//   are where implementations differ or bahttext falls back to ศูนย์บาทถ้วน: none can come
//   from int64 satang >= 0 written this way, and the script refuses anything else.
// * bahttext writes หนึ่ง, not เอ็ด, for a units 1 after a zero in the last group (101 baht ->
//   หนึ่งร้อยหนึ่งบาทถ้วน), which payments.md §5.3 makes Pratu's rule too.
'use strict'

const readline = require('node:readline')
const { bahttext } = require('bahttext')

function wordsOf (line) {
  const satang = line.trim()
  if (!/^[0-9]+$/.test(satang)) throw new Error('not a whole number of satang: ' + line)
  const digits = satang.replace(/^0+(?=[0-9]{3})/, '').padStart(3, '0')
  if (BigInt(digits.slice(0, -2)) > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new Error('more baht than bahttext reads: ' + line)
  }
  return bahttext(digits.slice(0, -2) + '.' + digits.slice(-2))
}

async function main () {
  const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity })
  const out = []
  for await (const line of lines) {
    if (line.trim() !== '') out.push(wordsOf(line))
  }
  process.stdout.write(out.map((words) => words + '\n').join(''))
}

main().catch((error) => {
  console.error('baht_texts.js: ' + error.message)
  process.exit(1)
})
