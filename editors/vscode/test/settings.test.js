'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { flattenSettingsSchema, settingsContributions } = require('../scripts/settings-contributions');
const { nestServerSettings, isServerSetting } = require('../out/serverSettings');
const { presentStatus } = require('../out/status');

const schema = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'schemas', 'settings.schema.json'), 'utf8'));
const clientSettings = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'client-settings.json'), 'utf8'));
const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8'));

test('the schema flattens to oci.section.name keys', () => {
  const flat = flattenSettingsSchema(schema);
  assert.ok(flat['oci.model.backend']);
  assert.ok(flat['oci.refine.maxRounds']);
  assert.ok(flat['oci.verification.shadowRoot']);
  assert.deepEqual(flat['oci.verification.sandbox'].enum, ['auto', 'required', 'off']);
  assert.equal(Object.keys(flat).some(k => k === 'oci.model'), false);
});

test('package.json contributes exactly the generated settings', () => {
  assert.deepEqual(manifest.contributes.configuration, settingsContributions(schema, clientSettings));
});

test('a client setting may not shadow a server setting', () => {
  assert.throws(() => settingsContributions(schema, { 'oci.model.path': { type: 'string' } }), /collides/);
});

test('server settings nest back into the OciSettings shape without client-only keys', () => {
  const keys = Object.keys(manifest.contributes.configuration.properties);
  const values = { 'oci.model.backend': 'llamaSharp', 'oci.model.path': '/m.gguf', 'oci.server.path': '/x' };
  const nested = nestServerSettings(keys, key => values[key] ?? manifest.contributes.configuration.properties[key].default);
  assert.equal(nested.model.backend, 'llamaSharp');
  assert.equal(nested.model.path, '/m.gguf');
  assert.equal(nested.model.endpoint, null);
  assert.equal(nested.refine.maxRounds, 3);
  assert.equal(nested.server, undefined);
  assert.equal(nested.trace, undefined);
  assert.equal(isServerSetting('oci.trace.server'), false);
  assert.deepEqual(Object.keys(nested), ['model', 'refine', 'verification', 'suggestions']);
});

test('status presentation', () => {
  assert.match(presentStatus({ state: 'ready', backend: 'llamaSharp', model: '/models/qwen.gguf' }).text, /qwen\.gguf/);
  assert.match(presentStatus({ state: 'none' }).text, /Roslyn fixes only/);
  const error = presentStatus({ state: 'error', backend: 'openAI', message: 'connection refused' });
  assert.equal(error.isError, true);
  assert.match(error.tooltip, /connection refused/);
  assert.equal(presentStatus({ state: 'bogus' }).isError, true);
});

test('the status item says when generated code runs without a sandbox', () => {
  assert.doesNotMatch(presentStatus({ state: 'ready', sandbox: 'bubblewrap' }).text, /sandbox/);
  const none = presentStatus({ state: 'ready', sandbox: 'none', sandboxMessage: 'NO SANDBOX: generated code runs with your rights (bubblewrap was not found)' });
  assert.match(none.text, /no sandbox/);
  assert.match(none.tooltip, /bubblewrap was not found/);
  assert.match(presentStatus({ state: 'ready', sandbox: 'off' }).text, /no sandbox/);
  const refused = presentStatus({ state: 'ready', sandbox: 'refused' });
  assert.match(refused.text, /sandbox required/);
  assert.equal(refused.isError, true);
});
