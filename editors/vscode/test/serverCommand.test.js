'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { resolveServerCommand, findOnPath } = require('../out/serverCommand');

const base = (files, overrides = {}) => ({
  extensionPath: '/ext/oci',
  workspaceFolders: ['/work/repo'],
  platform: 'linux',
  fileExists: p => files.includes(p),
  which: () => undefined,
  ...overrides,
});

test('the setting wins; a dll runs under dotnet', () => {
  assert.deepEqual(resolveServerCommand(base([], { configuredPath: '/opt/oci/OCI.LanguageServer.dll', extraArgs: ['--x'] })),
    { command: 'dotnet', args: ['/opt/oci/OCI.LanguageServer.dll', '--x'], source: 'setting' });
  assert.deepEqual(resolveServerCommand(base(['/ext/oci/server/OCI.LanguageServer'], { configuredPath: '/opt/oci/OCI.LanguageServer' })),
    { command: '/opt/oci/OCI.LanguageServer', args: [], source: 'setting' });
});

test('a blank setting falls through to the bundled server, executable before dll', () => {
  const files = [path.join('/ext/oci/server', 'OCI.LanguageServer'), path.join('/ext/oci/server', 'OCI.LanguageServer.dll')];
  assert.equal(resolveServerCommand(base(files, { configuredPath: '  ' })).command, files[0]);
  assert.deepEqual(resolveServerCommand(base([files[1]])), { command: 'dotnet', args: [files[1]], source: 'bundled' });
});

test('then oci on PATH, then dotnet run of the repository project', () => {
  assert.equal(resolveServerCommand(base([], { which: n => (n === 'oci' ? '/usr/bin/oci' : undefined) })).source, 'path');
  const project = path.join('/work/repo', 'src', 'OCI.LanguageServer', 'OCI.LanguageServer.csproj');
  assert.deepEqual(resolveServerCommand(base([project])), {
    command: 'dotnet',
    args: ['run', '--project', path.dirname(project), '-v', 'q', '--'],
    source: 'development',
  });
});

test('in the repository, the published server (scripts/publish-server.sh) comes before dotnet run', () => {
  const published = path.join('/work/repo', 'artifacts', 'server', 'OCI.LanguageServer');
  const project = path.join('/work/repo', 'src', 'OCI.LanguageServer', 'OCI.LanguageServer.csproj');
  assert.deepEqual(resolveServerCommand(base([project, published], { extraArgs: ['--x'] })), { command: published, args: ['--x'], source: 'development' });
  assert.equal(resolveServerCommand(base([project, path.join('/work/repo', 'artifacts', 'server', 'OCI.LanguageServer.exe')])).args[0], 'run');
});

test('an installed extension falls back to dotnet run of the checkout it was packaged from', () => {
  const project = path.join('/src/oci', 'src', 'OCI.LanguageServer', 'OCI.LanguageServer.csproj');
  const inputs = { extensionPath: '/home/me/.vscode/extensions/oci.oci-language-server-0.1.0', workspaceFolders: ['/work/app'] };
  assert.deepEqual(resolveServerCommand(base([project], { ...inputs, builtFromRepository: '/src/oci' })), {
    command: 'dotnet', args: ['run', '--project', path.dirname(project), '-v', 'q', '--'], source: 'development',
  });
  assert.throws(() => resolveServerCommand(base([], { ...inputs, builtFromRepository: '/src/oci' })), /oci\.server\.path/);
});

test('nothing found is a clear error', () => {
  assert.throws(() => resolveServerCommand(base([])), /oci\.server\.path/);
});

test('findOnPath walks PATH in order', () => {
  const found = findOnPath('oci', '/a::/b:/c', 'linux', p => p === '/b/oci' || p === '/c/oci');
  assert.equal(found, '/b/oci');
  assert.equal(findOnPath('oci', undefined, 'linux', () => true), undefined);
});
