'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const {
  buildRefineArguments, diagnosticAt, needsInstruction, withInstruction, ArgumentError,
} = require('../out/commandArguments');

const range = (l1, c1, l2, c2) => ({ start: { line: l1, character: c1 }, end: { line: l2, character: c2 } });
const editor = (selection, diagnostics = []) => ({ uri: 'file:///w/Calc.cs', version: 7, selection, diagnostics });

test('generate sends the document, its version and the selection', () => {
  const args = buildRefineArguments('oci.generate', editor(range(3, 4, 3, 20)));
  assert.deepEqual(args, { textDocument: { uri: 'file:///w/Calc.cs', version: 7 }, range: range(3, 4, 3, 20) });
});

test('fix diagnostic targets the diagnostic under the cursor with its code', () => {
  const diagnostics = [
    { range: range(0, 0, 0, 5), severity: 1, code: 'CS8019' },
    { range: range(5, 8, 5, 18), severity: 0, code: { value: 'CS0246', target: 'https://x' } },
  ];
  const args = buildRefineArguments('oci.fixDiagnostic', editor(range(5, 10, 5, 10), diagnostics));
  assert.deepEqual(args.range, range(5, 8, 5, 18));
  assert.equal(args.diagnosticCode, 'CS0246');
});

test('fix diagnostic prefers errors over warnings and narrower ranges', () => {
  const diagnostics = [
    { range: range(2, 0, 9, 0), severity: 0, code: 'CS0161' },
    { range: range(4, 2, 4, 9), severity: 1, code: 'CS0168' },
    { range: range(4, 0, 4, 12), severity: 0, code: 'CS0103' },
  ];
  assert.equal(diagnosticAt(diagnostics, { line: 4, character: 5 }).code, 'CS0103');
});

test('fix diagnostic falls back to an error on the cursor line, else sends the cursor without a code', () => {
  const diagnostics = [{ range: range(1, 10, 1, 14), severity: 0, code: 103 }];
  const args = buildRefineArguments('oci.fixDiagnostic', editor(range(1, 0, 1, 0), diagnostics));
  assert.equal(args.diagnosticCode, '103');
  const atCursor = buildRefineArguments('oci.fixDiagnostic', editor(range(8, 3, 8, 3), diagnostics));
  assert.deepEqual(atCursor.range, range(8, 3, 8, 3));
  assert.equal(atCursor.diagnosticCode, undefined);
});

test('refine selection requires a non-blank instruction and trims it', () => {
  assert.throws(() => buildRefineArguments('oci.refineSelection', editor(range(1, 0, 2, 0))), ArgumentError);
  assert.throws(() => buildRefineArguments('oci.refineSelection', editor(range(1, 0, 2, 0)), '   '), ArgumentError);
  const args = buildRefineArguments('oci.refineSelection', editor(range(1, 0, 2, 0)), '  use a loop ');
  assert.equal(args.instruction, 'use a loop');
});

test('code-action refineSelection needs an instruction until one is added', () => {
  const fromServer = { textDocument: { uri: 'file:///w/Calc.cs', version: 1 }, range: range(0, 0, 1, 0) };
  assert.equal(needsInstruction('oci.refineSelection', [fromServer]), true);
  assert.equal(needsInstruction('oci.fixDiagnostic', [fromServer]), false);
  const completed = withInstruction(fromServer, 'rename x');
  assert.equal(needsInstruction('oci.refineSelection', [completed]), false);
  assert.equal(fromServer.instruction, undefined, 'the original arguments are not mutated');
});
