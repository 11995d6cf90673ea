#!/usr/bin/env node
// npm run gen-settings: regenerates package.json contributes.configuration from schemas/settings.schema.json
// (the one source of truth shared with the server) plus client-settings.json. With --check it only
// reports whether package.json is up to date (exit 1 when not).
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { settingsContributions } = require('./settings-contributions');

const extensionRoot = path.resolve(__dirname, '..');
const schemaPath = path.resolve(extensionRoot, '..', '..', 'schemas', 'settings.schema.json');
const packagePath = path.join(extensionRoot, 'package.json');

const schema = JSON.parse(fs.readFileSync(schemaPath, 'utf8'));
const clientSettings = JSON.parse(fs.readFileSync(path.join(extensionRoot, 'client-settings.json'), 'utf8'));
const manifest = JSON.parse(fs.readFileSync(packagePath, 'utf8'));

const configuration = settingsContributions(schema, clientSettings);
const upToDate = JSON.stringify(manifest.contributes?.configuration) === JSON.stringify(configuration);
if (process.argv.includes('--check')) {
  if (!upToDate) {
    console.error('package.json contributes.configuration is out of date: run npm run gen-settings');
    process.exit(1);
  }
  console.log('package.json settings match schemas/settings.schema.json');
} else {
  manifest.contributes = { ...manifest.contributes, configuration };
  fs.writeFileSync(packagePath, JSON.stringify(manifest, null, 2) + '\n');
  console.log(`wrote ${Object.keys(configuration.properties).length} settings to package.json`);
}
