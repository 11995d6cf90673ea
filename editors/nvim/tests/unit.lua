-- Unit checks of argument building and settings checking:
--   nvim --headless -u NONE -c "luafile editors/nvim/tests/unit.lua"   (from the repository root)
local plugin = vim.fn.fnamemodify(debug.getinfo(1, 'S').source:gsub('^@', ''), ':p:h:h')
vim.opt.runtimepath:prepend(plugin)
package.path = plugin .. '/tests/?.lua;' .. package.path
local H = require('harness')
local arguments = require('oci.arguments')
local settings = require('oci.settings')

local function range(l1, c1, l2, c2)
  return { start = { line = l1, character = c1 }, ['end'] = { line = l2, character = c2 } }
end
local function state(selection, diagnostics)
  return { uri = 'file:///w/Calc.cs', version = 7, range = selection, diagnostics = diagnostics or {} }
end

H.test('generate sends document, version and range', function()
  H.eq({ textDocument = { uri = 'file:///w/Calc.cs', version = 7 }, range = range(3, 4, 3, 20) },
    arguments.build('oci.generate', state(range(3, 4, 3, 20))))
end)

H.test('fix targets the diagnostic under the cursor, errors first, narrowest first', function()
  local diagnostics = {
    { range = range(2, 0, 9, 0), severity = 1, code = 'CS0161' },
    { range = range(4, 2, 4, 9), severity = 2, code = 'CS0168' },
    { range = range(4, 0, 4, 12), severity = 1, code = 'CS0103' },
  }
  local args = arguments.build('oci.fixDiagnostic', state(range(4, 5, 4, 5), diagnostics))
  H.eq('CS0103', args.diagnosticCode)
  H.eq(range(4, 0, 4, 12), args.range)
end)

H.test('fix falls back to the line, numeric codes become strings, none sends the cursor without a code', function()
  local diagnostics = { { range = range(1, 10, 1, 14), severity = 1, code = 103 } }
  H.eq('103', arguments.build('oci.fixDiagnostic', state(range(1, 0, 1, 0), diagnostics)).diagnosticCode)
  H.eq({ textDocument = { uri = 'file:///w/Calc.cs', version = 7 }, range = range(8, 3, 8, 3) },
    arguments.build('oci.fixDiagnostic', state(range(8, 3, 8, 3), diagnostics)))
end)

H.test('refine selection needs a non-blank instruction, trimmed', function()
  H.eq(false, (pcall(arguments.build, 'oci.refineSelection', state(range(1, 0, 2, 0)))))
  H.eq(false, (pcall(arguments.build, 'oci.refineSelection', state(range(1, 0, 2, 0)), '  ')))
  H.eq('use a loop', arguments.build('oci.refineSelection', state(range(1, 0, 2, 0)), ' use a loop ').instruction)
end)

H.test('code-action refineSelection needs the instruction until added, without mutating', function()
  local from_server = { textDocument = { uri = 'file:///w/Calc.cs', version = 1 }, range = range(0, 0, 1, 0) }
  H.eq(true, arguments.needs_instruction('oci.refineSelection', { from_server }))
  H.eq(false, arguments.needs_instruction('oci.fixDiagnostic', { from_server }))
  local completed = arguments.with_instruction(from_server, 'rename x')
  H.eq(false, arguments.needs_instruction('oci.refineSelection', { completed }))
  H.eq(nil, from_server.instruction)
end)

H.test('settings are checked against schemas/settings.schema.json', function()
  local schema = settings.load_schema()
  H.truthy(schema, 'schema found beside the plugin')
  H.eq({}, settings.check({ model = { backend = 'llamaSharp', path = '/m.gguf', topP = 0.9, threads = 4 },
    refine = { maxRounds = 2 }, verification = { shadowRoot = vim.NIL } }, schema))
  H.eq({
    'oci.model.backend: expected one of none, llamaSharp, openAI',
    'oci.model.maxToken: unknown setting',
    'oci.refine.maxRounds: expected "integer", got number',
  }, settings.check({ model = { backend = 'LlamaSharp', maxToken = 3 }, refine = { maxRounds = 2.5 } }, schema))
end)

H.test('the sandbox setting is checked and the statusline says when there is no sandbox', function()
  local schema = settings.load_schema()
  H.eq({}, settings.check({ verification = { sandbox = 'required', bubblewrapPath = '/usr/bin/bwrap' } }, schema))
  H.eq({ 'oci.verification.sandbox: expected one of auto, required, off' },
    settings.check({ verification = { sandbox = 'yes' } }, schema))
  local oci = require('oci')
  oci.state().status = { state = 'ready', model = 'q.gguf', sandbox = 'bubblewrap' }
  H.eq('OCI ready q.gguf', oci.status())
  oci.state().status = { state = 'ready', model = 'q.gguf', sandbox = 'none' }
  H.eq('OCI ready q.gguf [no sandbox]', oci.status())
  oci.state().status = { state = 'none', sandbox = 'refused' }
  H.eq('OCI: Roslyn fixes only [sandbox required: unavailable]', oci.status())
  oci.state().status = nil
end)

H.test('empty settings encode as JSON objects', function()
  H.eq('{}', vim.fn.json_encode(settings.as_json_object({})))
  H.eq('{"model": {}}', vim.fn.json_encode(settings.as_json_object({ model = {} })))
end)

H.test('the root is the nearest solution, else project folder', function()
  local root = vim.fn.tempname()
  vim.fn.mkdir(root .. '/src/App', 'p')
  vim.fn.writefile({}, root .. '/All.sln')
  vim.fn.writefile({}, root .. '/src/App/App.csproj')
  H.eq(root, require('oci').find_root(root .. '/src/App/Program.cs'))
  vim.fn.delete(root .. '/All.sln')
  H.eq(root .. '/src/App', require('oci').find_root(root .. '/src/App/Program.cs'))
end)

H.test('user commands exist', function()
  vim.cmd('runtime plugin/oci.lua')
  for _, name in ipairs({ 'OciGenerate', 'OciRefine', 'OciFix', 'OciRefineSelection', 'OciCancel', 'OciStatus', 'OciAccept' }) do
    H.eq(2, vim.fn.exists(':' .. name), name)
  end
end)

H.test('diagnostics without LSP positions convert byte columns to UTF-16', function()
  local bufnr = vim.api.nvim_create_buf(false, true)
  -- "é" is 2 bytes and 1 UTF-16 unit; "𝒳" is 4 bytes and 2 UTF-16 units.
  vim.api.nvim_buf_set_lines(bufnr, 0, -1, false, { 'var é𝒳 = undefinedName;' })
  local ns = vim.api.nvim_create_namespace('oci-unit')
  local start_byte = #'var é𝒳 = '
  vim.diagnostic.set(ns, bufnr, { { lnum = 0, col = start_byte, end_col = start_byte + #'undefinedName', message = 'CS0103', code = 'CS0103' } })
  local d = require('oci').lsp_diagnostics(bufnr)[1]
  H.eq(range(0, 10, 0, 23), d.range)
  -- With utf-8 negotiated, characters are bytes; another client's LSP range (maybe UTF-16) is not reused.
  vim.diagnostic.set(ns, bufnr, { { lnum = 0, col = start_byte, end_col = start_byte + #'undefinedName', message = 'x',
    user_data = { lsp = { range = range(0, 10, 0, 23) } } } })
  H.eq(range(0, start_byte, 0, start_byte + 13), require('oci').lsp_diagnostics(bufnr, 'utf-8')[1].range)
  H.eq(range(0, 10, 0, 23), require('oci').lsp_diagnostics(bufnr, 'utf-16')[1].range)
end)

H.test('utf-8 is offered first and the server\'s positionEncoding is taken (Neovim 0.7 reads only offsetEncoding)', function()
  local positions = require('oci.positions')
  local capabilities = require('oci').capabilities()
  H.eq({ 'utf-8', 'utf-16' }, capabilities.general.positionEncodings)
  H.eq(true, capabilities.experimental.ociFixIts)
  H.truthy(capabilities.workspace.workspaceEdit.changeAnnotationSupport, 'change annotations advertised')
  local client = { offset_encoding = 'utf-16' }
  positions.init_result(client, { capabilities = { positionEncoding = 'utf-8' } })
  H.eq('utf-8', client.offset_encoding)
  H.eq(3, positions.character('aé b', 4, 'utf-16'))
  H.eq(4, positions.character('aé b', 4, 'utf-8'))
end)

H.test('fix-its: virtual text at the error line for the current version, withdrawn by a change, applied by accept', function()
  local fixits = require('oci.fixits')
  local bufnr = vim.api.nvim_create_buf(true, false)
  vim.api.nvim_buf_set_name(bufnr, vim.fn.tempname() .. '.cs')
  vim.api.nvim_buf_set_lines(bufnr, 0, -1, false, { 'namespace N;', 'class C { StringBuilder b; }' })
  vim.api.nvim_set_current_buf(bufnr)
  local uri = vim.uri_from_bufnr(bufnr)
  local version = vim.api.nvim_buf_get_changedtick(bufnr)
  local edit = { changes = { [uri] = { { range = range(0, 0, 0, 0), newText = 'using System.Text;\n' } } } }
  local fixit = { range = range(1, 10, 1, 23), title = 'Add using System.Text — builds', diagnosticCode = 'CS0246', edit = edit }
  fixits.handler(nil, { textDocument = { uri = uri, version = version - 1 }, fixIts = { fixit } }, {})
  H.eq({}, fixits.get(bufnr), 'an older version is not shown')
  fixits.handler(nil, { textDocument = { uri = uri, version = version }, fixIts = { fixit } }, {})
  H.eq(1, #fixits.get(bufnr))
  local marks = vim.api.nvim_buf_get_extmarks(bufnr, fixits.namespace, 0, -1, { details = true })
  H.eq(1, #marks)
  H.eq(1, marks[1][2], 'on the error line')
  H.truthy(marks[1][4].virt_text[1][1]:find('Add using System.Text — builds', 1, true), 'virtual text names the fix')
  vim.api.nvim_win_set_cursor(0, { 2, 0 })
  H.truthy(fixits.accept(bufnr), 'accepted')
  H.eq({ 'using System.Text;', 'namespace N;', 'class C { StringBuilder b; }' }, vim.api.nvim_buf_get_lines(bufnr, 0, -1, false))
  H.eq({}, fixits.get(bufnr), 'gone once applied')
  -- A new set, then a keystroke: stale, withdrawn.
  fixits.handler(nil, { textDocument = { uri = uri, version = vim.api.nvim_buf_get_changedtick(bufnr) }, fixIts = { fixit } }, {})
  H.eq(1, #fixits.get(bufnr))
  vim.api.nvim_buf_set_lines(bufnr, 2, 2, false, { '// typed' })
  H.eq({}, fixits.get(bufnr), 'a change makes it stale')
  vim.wait(200, function() return #vim.api.nvim_buf_get_extmarks(bufnr, fixits.namespace, 0, -1, {}) == 0 end, 20)
  H.eq(0, #vim.api.nvim_buf_get_extmarks(bufnr, fixits.namespace, 0, -1, {}), 'virtual text cleared')
end)

H.test('preview: an edit that needs confirmation is shown as a diff and applied only when accepted', function()
  local preview = require('oci.preview')
  local bufnr = vim.api.nvim_create_buf(true, false)
  vim.api.nvim_buf_set_name(bufnr, vim.fn.tempname() .. '.cs')
  vim.api.nvim_buf_set_lines(bufnr, 0, -1, false, { 'class C {}' })
  local uri = vim.uri_from_bufnr(bufnr)
  local params = { label = 'Fix diagnostic', edit = {
    changes = { [uri] = { { range = range(0, 0, 0, 0), newText = 'using System;\n', annotationId = 'oci.preview' } } },
    changeAnnotations = { ['oci.preview'] = { label = 'Fix diagnostic', needsConfirmation = true } },
  } }
  local original_confirm = preview.confirm
  local asked
  preview.confirm = function(label) asked = label; return false end
  local declined = preview.apply_edit_handler(nil, params, { client_id = -1 })
  H.eq(false, declined.applied)
  H.eq('Fix diagnostic', asked)
  H.truthy(preview.last_diff:find('+using System;', 1, true), 'the diff shows the added line:\n' .. preview.last_diff)
  H.eq({ 'class C {}' }, vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), 'declined: unchanged')
  preview.confirm = function() return true end
  H.eq(true, preview.apply_edit_handler(nil, params, { client_id = -1 }).applied)
  H.eq({ 'using System;', 'class C {}' }, vim.api.nvim_buf_get_lines(bufnr, 0, -1, false))
  preview.confirm = original_confirm
end)

local watch = require('oci.watch')

H.test('watch: the server\'s patterns, and nothing else', function()
  for _, path in ipairs({ '/w/A.cs', '/w/App.csproj', '/w/Directory.Build.props', '/w/x.targets', '/w/S.sln',
    '/w/S.slnx', '/w/packages.lock.json', '/w/global.json', '/w/Directory.Packages.props' }) do
    H.truthy(watch.matches(path), path)
  end
  for _, path in ipairs({ '/w/readme.md', '/w/A.cs.orig', '/w/app.json' }) do
    H.truthy(not watch.matches(path), path)
  end
end)

H.test('watch: a rescan after a checkout sends created, changed and deleted files in one batch', function()
  local root = vim.fn.tempname()
  vim.fn.mkdir(root .. '/src', 'p')
  vim.fn.mkdir(root .. '/obj', 'p')
  vim.fn.writefile({ 'class A {}' }, root .. '/src/A.cs')
  vim.fn.writefile({ 'class B {}' }, root .. '/src/B.cs')
  vim.fn.writefile({ '<Project />' }, root .. '/App.csproj')
  local batches = {}
  watch.debounce_ms = 50
  watch.watch(root, function(changes) table.insert(batches, changes) end)
  vim.fn.writefile({ 'class A { int x; }' }, root .. '/src/A.cs')
  vim.fn.delete(root .. '/src/B.cs')
  vim.fn.writefile({ 'class C {}' }, root .. '/src/C.cs')
  vim.fn.writefile({ 'ignored' }, root .. '/src/notes.txt')
  vim.fn.writefile({ 'class G {}' }, root .. '/obj/G.cs')
  -- The fs events arrive on the loop; the debounced rescan sends one batch.
  H.truthy(vim.wait(5000, function() return #batches > 0 end, 20), 'a batch from the fs events')
  vim.wait(300)
  local uri = function(rel) return vim.uri_from_fname(root .. rel) end
  local all = {}
  for _, batch in ipairs(batches) do
    for _, change in ipairs(batch) do table.insert(all, change) end
  end
  table.sort(all, function(a, b) return a.uri < b.uri end)
  H.eq({ { uri = uri('/src/A.cs'), type = 2 }, { uri = uri('/src/B.cs'), type = 3 }, { uri = uri('/src/C.cs'), type = 1 } }, all)
  -- Nothing changed since: a FocusGained rescan sends nothing.
  H.eq({}, watch.rescan(root))
  watch.stop(root)
  vim.fn.delete(root, 'rf')
end)

H.test('watch: a file in a folder created after the start is seen', function()
  local root = vim.fn.tempname()
  vim.fn.mkdir(root, 'p')
  local batches = {}
  watch.debounce_ms = 50
  watch.watch(root, function(changes) table.insert(batches, changes) end)
  vim.fn.mkdir(root .. '/lib', 'p')
  vim.fn.writefile({ 'class N {}' }, root .. '/lib/N.cs')
  vim.cmd('doautocmd FocusGained')
  H.truthy(vim.wait(5000, function() return #batches > 0 end, 20), 'a batch')
  H.eq({ uri = vim.uri_from_fname(root .. '/lib/N.cs'), type = 1 }, batches[1][1])
  watch.stop(root)
  vim.fn.delete(root, 'rf')
end)

H.finish()
