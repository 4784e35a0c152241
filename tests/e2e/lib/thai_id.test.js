// The e2e suite's ID generator must agree with the reference vectors, or the journey tests nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isValidCitizenId, randomCitizenId, withWrongCheckDigit } from './thai_id.js';

test('accepts the valid reference IDs and rejects the invalid ones', () => {
  for (const id of ['3100600445635', '1234545678781', '1234567890121', '1101700203034']) {
    assert.ok(isValidCitizenId(id), id);
  }
  for (const id of ['1111111111111', '3101234567894', '1101700203030']) {
    assert.ok(!isValidCitizenId(id), id);
  }
});

test('generates valid IDs whose first digit is a person category 1-8', () => {
  for (let i = 0; i < 200; i++) {
    const id = randomCitizenId();
    assert.ok(isValidCitizenId(id), id);
    assert.match(id[0], /[1-8]/);
    assert.ok(!isValidCitizenId(withWrongCheckDigit(id)));
  }
});
