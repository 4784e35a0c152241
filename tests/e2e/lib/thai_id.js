// Thai citizen ID numbers (standards.md §4.1): 13 digits, the last a mod-11 check digit.
import { randomInt } from 'node:crypto';

/** The check digit for the first 12 digits: (11 − Σ d[i]·(13−i) mod 11) mod 10. */
export function checkDigit(first12) {
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(first12[i]) * (13 - i);
  return (11 - (sum % 11)) % 10;
}

/** Whether a 13-digit string has a correct check digit. */
export function isValidCitizenId(id) {
  return /^\d{13}$/.test(id) && checkDigit(id) === Number(id[12]);
}

/** A fresh valid citizen ID (person category 1–8), so reruns on one database don't collide. */
export function randomCitizenId() {
  let first12 = String(randomInt(1, 9));
  for (let i = 0; i < 11; i++) first12 += String(randomInt(0, 10));
  return first12 + String(checkDigit(first12));
}

/** The same ID with a wrong check digit. */
export function withWrongCheckDigit(id) {
  return id.slice(0, 12) + String((Number(id[12]) + 1) % 10);
}
