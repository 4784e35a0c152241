#!/usr/bin/env node
// The payloads that dtinth's npm package promptpay-qr makes, for tests/integration/thai_qr_it.cpp
// to compare with pratu::payments::thai_qr_payload (standards.md §1.3, §1.5 vectors 1-6).
//
// Input, on stdin: one JSON object a line, {"target": "081-234-5678", "amount_satang": 150000};
// amount_satang is an integer, 0 or left out for none. Output: one payload a line, in order.
//
// What is comparable, from promptpay-qr's index.js:
// * target: it keeps only the digits, then picks the proxy by their count (>= 15 e-wallet,
//   >= 13 national/tax ID, else mobile, with a leading 0 turned into 66 and the rest left-padded
//   with 0 to 13). So compare mobiles written 0XXXXXXXXX, +66XXXXXXXXX or 66XXXXXXXXX (any
//   spaces or hyphens), 13-digit IDs and 15-digit e-wallet IDs. It has no bank-account proxy
//   (sub-tag 04) and takes any digit count; Pratu refuses what is not one of these forms.
// * amount: a number of baht, written with toFixed(2), and none when falsy (so 0 makes a static
//   QR, as in Pratu). Satang / 100 is the double nearest the exact two-decimal amount, and
//   toFixed(2) gives that amount back for the 12 significant digits tag 54 can hold; each one is
//   checked against the exact digits below, so float rounding cannot pass unnoticed.
'use strict'

const readline = require('node:readline')
const generatePayload = require('promptpay-qr')

// "1500.00" for 150000, from the digits alone.
function exactBaht (satang) {
  const digits = String(satang).padStart(3, '0')
  return digits.slice(0, -2) + '.' + digits.slice(-2)
}

function payloadOf (line) {
  const input = JSON.parse(line)
  if (typeof input.target !== 'string') throw new Error('target is not a string: ' + line)
  const satang = input.amount_satang ?? 0
  if (!Number.isSafeInteger(satang) || satang < 0) {
    throw new Error('amount_satang is not a whole number of satang: ' + line)
  }
  const baht = satang / 100
  if (satang > 0 && baht.toFixed(2) !== exactBaht(satang)) {
    throw new Error('amount not exact as a double: ' + line)
  }
  return generatePayload(input.target, { amount: baht })
}

async function main () {
  const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity })
  const out = []
  for await (const line of lines) {
    if (line.trim() !== '') out.push(payloadOf(line))
  }
  process.stdout.write(out.map((payload) => payload + '\n').join(''))
}

main().catch((error) => {
  console.error('promptpay_payloads.js: ' + error.message)
  process.exit(1)
})
