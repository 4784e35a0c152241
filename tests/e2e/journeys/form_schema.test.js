// An API client checks its answers before sending them: for every service with an online form
// it fetches the JSON Schema of a complete answer set, compiles it with Ajv (draft 2020-12,
// strict mode, with ajv-formats), starts from the schema's own example, which passes, and sees
// that leaving out any required answer, at the top or in a list's item, or adding one to no
// question, fails. Ajv is the validator clients use; Pratu's own check stays the authority.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { baseUrl } from '../lib/browser.js';

/** Every service in the catalogue, page by page. */
async function allServices() {
  const services = [];
  for (let page = 1; ; page++) {
    const response = await fetch(`${baseUrl()}/api/v1/services?page=${page}`);
    assert.equal(response.status, 200);
    const body = await response.json();
    services.push(...body.items);
    if (body.items.length === 0 || services.length >= body.total) return services;
  }
}

/** `answers` without `key`: a copy, the original untouched. */
function without(answers, key) {
  const copy = structuredClone(answers);
  delete copy[key];
  return copy;
}

/** Ajv's errors, short enough for an assertion message. */
function explained(validate) {
  return JSON.stringify(validate.errors?.slice(0, 5));
}

test('an API client validates its answers against each form schema with Ajv', async (t) => {
  const services = await allServices();
  const withForms = [];
  for (const { slug } of services) {
    const form = await fetch(`${baseUrl()}/api/v1/services/${slug}/form`);
    const schema = await fetch(`${baseUrl()}/api/v1/services/${slug}/form/schema`);
    // A schema exactly where there is a form.
    assert.equal(schema.status, form.status, slug);
    if (schema.status === 200) {
      assert.match(schema.headers.get('content-type'), /^application\/json/);
      withForms.push({ slug, schema: await schema.json() });
    } else {
      assert.equal(schema.status, 404, slug);
      assert.match(schema.headers.get('content-type'), /^application\/problem\+json/);
    }
  }
  assert.ok(withForms.length >= 8, `the demo's eight forms, found ${withForms.length}`);

  for (const { slug, schema } of withForms) {
    await t.test(slug, () => {
      const ajv = new Ajv2020({ strict: true, allErrors: true });
      addFormats(ajv);
      const validate = ajv.compile(schema);

      assert.equal(schema.examples?.length, 1, 'one example to start from');
      const [example] = schema.examples;
      assert.ok(validate(example), `its own example: ${explained(validate)}`);

      assert.ok(schema.required.length > 0);
      for (const key of schema.required) {
        assert.equal(validate(without(example, key)), false, `without ${key}`);
        assert.ok(validate.errors.some((e) => e.keyword === 'required' && e.params.missingProperty === key),
          `without ${key}: ${explained(validate)}`);
      }

      // Each required answer of a list's first item, and of an address.
      for (const [key, property] of Object.entries(schema.properties)) {
        const inner = property.type === 'array' ? property.items : property;
        if (inner?.type !== 'object' || !(key in example)) continue;
        const value = property.type === 'array' ? example[key][0] : example[key];
        if (value === undefined) continue;
        for (const part of inner.required) {
          const changed = structuredClone(example);
          if (property.type === 'array') changed[key][0] = without(value, part);
          else changed[key] = without(value, part);
          assert.equal(validate(changed), false, `${key} without ${part}`);
        }
      }

      assert.equal(validate({ ...example, no_such_question: 'x' }), false, 'an unknown answer');
    });
  }
});

test('the schema of a service without a form is a 404 problem', async () => {
  const response = await fetch(`${baseUrl()}/api/v1/services/no-such-service/form/schema`);
  assert.equal(response.status, 404);
  assert.match(response.headers.get('content-type'), /^application\/problem\+json/);
});
