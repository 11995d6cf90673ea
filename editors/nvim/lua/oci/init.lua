-- OCI for Neovim: starts the OCI language server with the built-in vim.lsp client for C# buffers and adds the
-- :Oci* commands. Works on Neovim 0.7.2 and newer (only APIs that 0.7 has, with fallbacks for renamed ones).
-- This module is the public API; the work is done by concern:
--   oci.client      lifecycle: server command, workspace root, one client per root, capabilities, handlers
--   oci.positions   byte columns <-> LSP characters in the negotiated encoding, the range a command acts on
--   oci.diagnostics the buffer's diagnostics in LSP shape;  oci.fixits  verified fix-its (virtual text, accept)
--   oci.commands    executeCommand, cancel, the commands code actions carry (oci.arguments builds the arguments)
--   oci.status      oci/status for statuslines, $/progress, results;  oci.preview, oci.watch, oci.settings
local config = require('oci.config')
local settings_check = require('oci.settings')
local client = require('oci.client')
local commands = require('oci.commands')
local diagnostics = require('oci.diagnostics')
local positions = require('oci.positions')
local fixits = require('oci.fixits')
local status = require('oci.status')

local M = {}

M.default_cmd = client.default_cmd
M.find_root = client.find_root
M.client_for = client.client_for
M.capabilities = client.capabilities
M.attach = client.attach
--- Stops every OCI client (tests, :OciRestart).
M.stop = client.stop

M.editor_state = commands.editor_state
M.execute = commands.execute
M.run = commands.run
M.refine_selection = commands.refine_selection
M.cancel = commands.cancel

--- Raw state, for tests and custom statuslines: { status, progress = {...}, results = {...}, exit }.
M.state = status.state
--- The last oci/status as a short string for statuslines ('' before the server reported).
M.status = status.line

function M.generate(opts) return commands.run('oci.generate', opts) end
function M.refine(opts) return commands.run('oci.runAndRefine', opts) end
function M.fix(opts) return commands.run('oci.fixDiagnostic', opts) end

--- :OciAccept: applies the verified fix-it at (or nearest to) the cursor.
function M.accept()
  return fixits.accept(vim.api.nvim_get_current_buf())
end

--- The LSP range of a :command's range or the cursor, in the OCI client's position encoding.
function M.editor_range(bufnr, opts)
  return positions.editor_range(bufnr, opts, client.encoding_for(bufnr))
end

--- The buffer's diagnostics in LSP shape, in `encoding` (default: the OCI client's).
function M.lsp_diagnostics(bufnr, encoding)
  return diagnostics.lsp_diagnostics(bufnr, encoding or client.encoding_for(bufnr))
end

--- setup{ cmd = {...}, settings = { model = {...}, refine = {...}, verification = {...} }, on_attach = fn }
function M.setup(opts)
  config.apply(opts or {})
  local schema = settings_check.load_schema()
  if schema then
    local problems = settings_check.check(config.settings, schema)
    if #problems > 0 then
      status.notify('settings: ' .. table.concat(problems, '; '), vim.log.levels.WARN)
    end
  end
  commands.register_code_action_commands()
  local group = vim.api.nvim_create_augroup('oci', { clear = true })
  vim.api.nvim_create_autocmd('FileType', {
    group = group,
    pattern = config.filetypes,
    callback = function(args)
      client.attach(args.buf)
    end,
  })
  status.state().setup_done = true
  for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(bufnr) and vim.tbl_contains(config.filetypes, vim.bo[bufnr].filetype) then
      client.attach(bufnr)
    end
  end
end

return M
