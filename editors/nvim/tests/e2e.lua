-- End-to-end test in a real headless Neovim against the real OCI language server (scripts/test-nvim.sh runs it), on
-- the fixture editors/fixtures/FixDiagnostic with non-ASCII text before the error (positions go in the negotiated
-- utf-8): the verified fix-it appears as virtual text at the error line; a cancelled "fix diagnostic" leaves the
-- buffer unchanged; a completed one (oci.refine.previewEdits: diff shown, accepted) adds `using System.Text;`
-- through workspace/applyEdit; after undo the fix-it comes back for the new version and :OciAccept applies it.
-- Environment:
--   OCI_SERVER_CMD  the server command, words separated by tabs (e.g. dotnet<TAB>/path/OCI.LanguageServer.dll<TAB>--stdio)
--   OCI_E2E_FILE    Program.cs of a scratch copy of the fixture (the test writes it)
local plugin = vim.fn.fnamemodify(debug.getinfo(1, 'S').source:gsub('^@', ''), ':p:h:h')
vim.opt.runtimepath:prepend(plugin)
package.path = plugin .. '/tests/?.lua;' .. package.path
vim.cmd('filetype on')
vim.cmd('runtime plugin/oci.lua')
local H = require('harness')
local oci = require('oci')

local server_cmd = vim.split(assert(os.getenv('OCI_SERVER_CMD'), 'OCI_SERVER_CMD not set'), '\t', { trimempty = true })
local file = assert(os.getenv('OCI_E2E_FILE'), 'OCI_E2E_FILE not set')
local timeout_ms = tonumber(os.getenv('OCI_E2E_TIMEOUT_MS') or '180000')

local function log(message)
  io.stdout:write('# ' .. message .. '\n')
  io.stdout:flush()
end

vim.lsp.set_log_level(os.getenv('OCI_E2E_LSP_LOG_LEVEL') or 'info')
local preview = require('oci.preview')
local fixits = require('oci.fixits')
local previews = {}
preview.confirm = function(label) -- the user says yes to the preview
  table.insert(previews, { label = label, diff = preview.last_diff })
  return true
end
oci.setup({ cmd = server_cmd, settings = { model = { backend = 'none' }, verification = { runTests = false },
  refine = { previewEdits = true } } })
vim.cmd('edit ' .. vim.fn.fnameescape(file))
local bufnr = vim.api.nvim_get_current_buf()
-- Line 9 (1-based) is `var builder = new StringBuilder();`: a comment with 2- and 3-byte characters goes before it,
-- so byte, UTF-16 and UTF-8 columns differ; the cursor goes on StringBuilder.
local target_line = 9
local line9 = vim.api.nvim_buf_get_lines(bufnr, target_line - 1, target_line, false)[1]
vim.api.nvim_buf_set_lines(bufnr, target_line - 1, target_line, false, { (line9:gsub('var builder', '/* é€ */ var builder')) })
local original = vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)

local target_col = assert(original[target_line]:find('StringBuilder', 1, true), 'fixture changed') - 1
vim.api.nvim_win_set_cursor(0, { target_line, target_col })

local client
H.test('the server starts and initializes', function()
  H.eq('cs', vim.bo[bufnr].filetype, 'filetype')
  local ready = vim.wait(60000, function()
    client = oci.client_for(bufnr)
    return oci.state().exit ~= nil or (client ~= nil and client.server_capabilities ~= nil)
  end, 100)
  local exit = oci.state().exit
  H.truthy(exit == nil, 'the server process stays up; it exited with ' .. vim.inspect(exit))
  H.truthy(ready, 'initialized within 60 s (see ' .. vim.lsp.get_log_path() .. ')')
  local commands = ((client.server_capabilities or {}).executeCommandProvider or {}).commands or {}
  log('server commands: ' .. table.concat(commands, ', '))
  H.truthy(vim.tbl_contains(commands, 'oci.fixDiagnostic'), 'server advertises oci.fixDiagnostic')
  H.eq('utf-8', client.offset_encoding, 'utf-8 negotiated (offered first, taken from positionEncoding)')
end)

local function fixit_text()
  local marks = vim.api.nvim_buf_get_extmarks(bufnr, fixits.namespace, 0, -1, { details = true })
  if #marks == 0 then return '' end
  return marks[1][4].virt_text[1][1]
end

local function wait_fixit()
  local shown = vim.wait(timeout_ms, function() return #fixits.get(bufnr) > 0 end, 100)
  H.truthy(shown, 'a verified fix-it arrived within ' .. timeout_ms .. ' ms')
  -- Shown first on its in-memory build ("compiles, … · confirming"), then titled with what the real build verified.
  local confirmed = vim.wait(timeout_ms, function() return fixit_text():find('— builds', 1, true) ~= nil end, 100)
  H.truthy(confirmed, 'the fix-it was confirmed by the real build within ' .. timeout_ms .. ' ms: ' .. fixit_text())
  local marks = vim.api.nvim_buf_get_extmarks(bufnr, fixits.namespace, 0, -1, { details = true })
  H.eq(1, #marks, 'one virtual text')
  H.eq(target_line - 1, marks[1][2], 'at the error line')
  local text = marks[1][4].virt_text[1][1]
  log('fix-it: ' .. text)
  H.truthy(text:find('Add using System.Text — builds', 1, true), 'it says what was verified: ' .. text)
end

H.test('the verified fix-it appears as virtual text at the error line', function()
  wait_fixit()
end)

-- What :OciFix sends: the server publishes no diagnostics (C# language servers do), so with none in Neovim the
-- cursor position goes as it is and the server must find Roslyn's CS0246 there.
local function fix_arguments()
  vim.api.nvim_win_set_cursor(0, { target_line, target_col })
  local args = require('oci.arguments').build('oci.fixDiagnostic', oci.editor_state(bufnr))
  H.eq({ start = { line = target_line - 1, character = target_col }, ['end'] = { line = target_line - 1, character = target_col } },
    args.range, 'the cursor range is sent')
  return args
end

local function wait_result(count)
  local arrived = vim.wait(timeout_ms, function()
    return #oci.state().results >= count
  end, 100)
  H.truthy(arrived, 'the command answered within ' .. timeout_ms .. ' ms')
  return oci.state().results[count]
end

H.test('a cancelled fix leaves the buffer unchanged', function()
  H.truthy(client, 'client')
  local request = oci.execute('oci.fixDiagnostic', fix_arguments(), bufnr)
  H.truthy(request, 'request sent')
  oci.cancel()
  local answer = wait_result(1)
  log('cancelled run answered: ' .. vim.inspect(answer.err or answer.result))
  vim.wait(2000, function() return false end, 100) -- a late edit would land here
  H.eq(original, vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), 'buffer after cancel')
  local cancelled = (answer.err and answer.err.code == -32800)
    or (type(answer.result) == 'table' and answer.result.stopReason == 'cancelled' and answer.result.applied == false)
  H.truthy(cancelled, 'the answer says cancelled (error -32800 or stopReason cancelled)')
end)

H.test('fix diagnostic adds the missing using through workspace/applyEdit', function()
  H.truthy(client, 'client')
  vim.api.nvim_win_set_cursor(0, { target_line, target_col })
  local request = oci.execute('oci.fixDiagnostic', fix_arguments(), bufnr)
  H.truthy(request, 'request sent')
  local answer = wait_result(2)
  log('fix answered: ' .. vim.inspect(answer.err or answer.result))
  local edited = vim.wait(5000, function()
    return vim.tbl_contains(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), 'using System.Text;')
  end, 100)
  local lines = vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
  H.truthy(edited, 'buffer gained `using System.Text;`; it reads:\n' .. table.concat(lines, '\n'))
  local without = vim.tbl_filter(function(line) return line ~= 'using System.Text;' end, lines)
  H.eq(original, without, 'nothing else changed')
  H.eq(#original + 1, #lines, 'exactly one line added')
  H.truthy(answer.err == nil and answer.result and answer.result.applied == true, 'result says applied')
  H.eq(1, #previews, 'previewEdits: the edit was previewed once')
  H.truthy(previews[1].diff:find('+using System.Text;', 1, true), 'the preview shows the diff:\n' .. previews[1].diff)
end)

H.test('after undo the fix-it comes back for the new version and :OciAccept applies it', function()
  vim.cmd('undo')
  H.eq(original, vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), 'undo restores the buffer')
  wait_fixit()
  vim.api.nvim_win_set_cursor(0, { target_line, target_col })
  vim.cmd('OciAccept')
  local lines = vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
  local without = vim.tbl_filter(function(line) return line ~= 'using System.Text;' end, lines)
  H.eq(#original + 1, #lines, 'exactly one line added:\n' .. table.concat(lines, '\n'))
  H.eq(original, without, 'nothing else changed')
  H.eq(0, #vim.api.nvim_buf_get_extmarks(bufnr, fixits.namespace, 0, -1, {}), 'the fix-it is gone once applied')
  vim.cmd('write')
end)

oci.stop()
vim.wait(2000, function() return false end, 100)
H.finish()
