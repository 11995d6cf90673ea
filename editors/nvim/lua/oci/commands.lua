-- The OCI commands: the editor state they send (oci.arguments builds the arguments from it), workspace/
-- executeCommand with its answer reported, cancellation, and the commands code actions carry.
local arguments = require('oci.arguments')
local client = require('oci.client')
local positions = require('oci.positions')
local diagnostics = require('oci.diagnostics')
local buffers = require('oci.buffers')
local status = require('oci.status')

local M = {}

local pending = {} -- request id -> { client_id, command, bufnr }
local cancelled = {} -- request id -> true: cancelled and reported, a late answer is ignored

--- Editor state for arguments.build: uri, version, range, diagnostics, in the OCI client's position encoding.
function M.editor_state(bufnr, opts)
  local encoding = client.encoding_for(bufnr)
  return {
    uri = vim.uri_from_bufnr(bufnr),
    version = buffers.version(bufnr),
    range = positions.editor_range(bufnr, opts, encoding),
    diagnostics = diagnostics.lsp_diagnostics(bufnr, encoding),
  }
end

local function report(command, err, result)
  table.insert(status.state().results, { command = command, err = err, result = result })
  -- The server shows every outcome itself (window/showMessage); only what it cannot say is notified here.
  if err then
    local was_cancelled = err.code == -32800
    status.notify((was_cancelled and 'cancelled' or ('failed: ' .. tostring(err.message))),
      was_cancelled and vim.log.levels.INFO or vim.log.levels.ERROR)
  end
  vim.schedule(function()
    vim.api.nvim_exec_autocmds('User', { pattern = 'OciResult', modeline = false })
  end)
end

--- Sends workspace/executeCommand for an OCI command with already-built arguments; returns the request id.
function M.execute(command, args, bufnr)
  bufnr = buffers.resolve(bufnr)
  local oci = client.client_for(bufnr)
  if not oci then
    status.notify('no OCI language server attached to this buffer (call require("oci").setup{})', vim.log.levels.ERROR)
    return nil
  end
  local params = { command = command, arguments = args and { args } or {} }
  local ok, request_id
  ok, request_id = oci.request('workspace/executeCommand', params, function(err, result)
    pending[request_id] = nil
    if cancelled[request_id] then
      cancelled[request_id] = nil
      return -- M.cancel already reported it
    end
    report(command, err, result)
  end, bufnr)
  if not ok then
    status.notify('the language server is not running', vim.log.levels.ERROR)
    return nil
  end
  pending[request_id] = { client_id = oci.id, command = command, bufnr = bufnr }
  return request_id
end

--- Builds the arguments for the current buffer and sends a refine command. Errors (no diagnostic, no
--- instruction) are reported, never sent.
function M.run(command, opts, instruction)
  local bufnr = vim.api.nvim_get_current_buf()
  local ok, args = pcall(arguments.build, command, M.editor_state(bufnr, opts), instruction)
  if not ok then
    status.notify(tostring(args), vim.log.levels.ERROR)
    return nil
  end
  return M.execute(command, args, bufnr)
end

local function ask_instruction(callback)
  vim.ui.input({ prompt = 'OCI instruction: ' }, function(input)
    if input and vim.trim(input) ~= '' then
      callback(input)
    end
  end)
end

--- Refine selection: asks for the instruction (vim.ui.input) unless one is given.
function M.refine_selection(opts, instruction)
  if instruction then
    return M.run('oci.refineSelection', opts, instruction)
  end
  local bufnr = vim.api.nvim_get_current_buf()
  local state_now = M.editor_state(bufnr, opts) -- capture the range before the prompt moves anything
  ask_instruction(function(input)
    local ok, args = pcall(arguments.build, 'oci.refineSelection', state_now, input)
    if ok then
      M.execute('oci.refineSelection', args, bufnr)
    else
      status.notify(tostring(args), vim.log.levels.ERROR)
    end
  end)
end

--- Cancels every running OCI task: $/cancelRequest for our requests and oci.cancel for the server's tasks.
--- Neovim's RPC layer drops the server's -32800 answer to a cancelled request without calling its handler, so
--- the cancellation is reported here (a result arriving later for that request is ignored).
function M.cancel()
  for request_id, request in pairs(pending) do
    local oci = client.get(request.client_id)
    pending[request_id] = nil
    if oci then
      oci.cancel_request(request_id)
      cancelled[request_id] = true
      report(request.command, { code = -32800, message = 'cancelled' }, nil)
    end
  end
  for _, oci in ipairs(client.running()) do
    oci.request('workspace/executeCommand', { command = 'oci.cancel', arguments = {} }, function() end)
  end
end

--- Code actions carry the refine commands; oci.refineSelection lacks the instruction, which is asked for here.
function M.register_code_action_commands()
  for _, command in pairs(arguments.refine_commands) do
    vim.lsp.commands[command] = function(lsp_command, ctx)
      local args = (lsp_command.arguments or {})[1]
      local bufnr = ctx and ctx.bufnr or vim.api.nvim_get_current_buf()
      if arguments.needs_instruction(command, lsp_command.arguments) then
        ask_instruction(function(input)
          M.execute(command, arguments.with_instruction(args or {}, input), bufnr)
        end)
      else
        M.execute(command, args, bufnr)
      end
    end
  end
end

return M
