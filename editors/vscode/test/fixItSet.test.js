'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { FixItSet, lensTitle } = require('../out/fixItSet');

const range = (l1, c1, l2, c2) => ({ start: { line: l1, character: c1 }, end: { line: l2, character: c2 } });
const fixIt = (line, title = 'Add using System.Text — builds, 2/2 tests') => ({ range: range(line, 4, line, 17), title, diagnosticCode: 'CS0246', edit: {} });
const uri = 'file:///w/Program.cs';

test('a set is shown only for its document version', () => {
  const set = new FixItSet();
  assert.equal(set.update({ textDocument: { uri, version: 3 }, fixIts: [fixIt(8)] }), true);
  assert.equal(set.get(uri, 3).length, 1);
  assert.deepEqual(set.get(uri, 4), []);
  assert.deepEqual(set.get('file:///w/Other.cs', 3), []);
});

test('an empty list or a change withdraws the set', () => {
  const set = new FixItSet();
  set.update({ textDocument: { uri, version: 3 }, fixIts: [fixIt(8)] });
  assert.equal(set.withdraw(uri), true);
  assert.equal(set.withdraw(uri), false);
  set.update({ textDocument: { uri, version: 3 }, fixIts: [fixIt(8)] });
  set.update({ textDocument: { uri, version: 4 }, fixIts: [] });
  assert.deepEqual(set.get(uri, 3), []);
});

test('one lens per error line; the key applies the fix-it on the cursor line, else the nearest', () => {
  const set = new FixItSet();
  set.update({ textDocument: { uri, version: 1 }, fixIts: [fixIt(2, 'a'), fixIt(2, 'b'), fixIt(10, 'c')] });
  assert.deepEqual(set.get(uri, 1).map(f => f.title), ['a', 'c']);
  assert.equal(set.nearest(uri, 1, 9).title, 'c');
  assert.equal(set.nearest(uri, 1, 3).title, 'a');
  assert.equal(set.nearest(uri, 2, 3), undefined);
});

test('malformed notifications are ignored', () => {
  const set = new FixItSet();
  assert.equal(set.update({ textDocument: { uri }, fixIts: [] }), false);
  assert.equal(set.update(null), false);
});

test('the lens says what was verified and which key applies it', () => {
  assert.equal(lensTitle(fixIt(1), 'Alt+Enter'), '$(check) Add using System.Text — builds, 2/2 tests · Alt+Enter to apply');
});
