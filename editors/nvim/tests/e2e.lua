-- End-to-end test in a real headless Neovim against the real OCI language server (scripts/test-nvim.sh runs it):
-- a cancelled "fix diagnostic" leaves the buffer unchanged; a completed one adds `using System.Text;` to the
-- fixture (editors/fixtures/FixDiagnostic) through workspace/applyEdit. Environment:
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
oci.setup({ cmd = server_cmd, settings = { model = { backend = 'none' }, verification = { runTests = false } } })
vim.cmd('edit ' .. vim.fn.fnameescape(file))
local bufnr = vim.api.nvim_get_current_buf()
local original = vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)

-- Line 9 (1-based) is `var builder = new StringBuilder();`: the cursor goes on StringBuilder.
local target_line = 9
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
  vim.cmd('write')
end)

oci.stop()
vim.wait(2000, function() return false end, 100)
H.finish()
