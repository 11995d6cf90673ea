'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { paletteRefineCommands, refineCommands } = require('../out/commandTitles');
const contributed = require('../package.json').contributes.commands;

test('every server refine command has exactly one palette command in package.json, with its title', () => {
  const palette = paletteRefineCommands(contributed);
  assert.deepEqual(palette.map(p => p.command).sort(), [...refineCommands].sort());
  assert.deepEqual(palette.find(p => p.command === 'oci.refineSelection'),
    { id: 'oci.editor.refineSelection', command: 'oci.refineSelection', title: 'Refine Selection' });
});

test('commands that run no server refine command are not refine commands', () => {
  const ids = paletteRefineCommands(contributed).map(p => p.id);
  for (const other of ['oci.editor.cancel', 'oci.editor.showOutput', 'oci.editor.restartServer', 'oci.editor.acceptFixIt']) {
    assert.ok(!ids.includes(other), other);
  }
});

test('titles come from package.json (a renamed title follows), without the ellipsis of a command that asks', () => {
  assert.equal(paletteRefineCommands(contributed).find(p => p.command === 'oci.runAndRefine').title, 'Run & Refine');
  assert.deepEqual(paletteRefineCommands([{ command: 'oci.editor.generate', title: 'Write It' }]),
    [{ id: 'oci.editor.generate', command: 'oci.generate', title: 'Write It' }]);
});
