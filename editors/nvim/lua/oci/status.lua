-- What the server reports: oci/status (the model and sandbox, for statuslines), $/progress (echoed in the command
-- line), and the results of commands, kept for tests and custom statuslines.
local M = {}

local state = { status = nil, progress = {}, results = {}, exit = nil, setup_done = false }

--- Raw state: { status, progress = {...}, results = {...}, exit, setup_done }.
function M.state()
  return state
end

local function echo_progress(value)
  if type(value) ~= 'table' or not value.kind then
    return
  end
  local entry = { kind = value.kind, title = value.title, message = value.message, percentage = value.percentage }
  table.insert(state.progress, entry)
  local text = table.concat(vim.tbl_filter(function(part) return part ~= nil and part ~= '' end,
    { value.title, value.message, value.percentage and (value.percentage .. '%') or nil }), ': ')
  if value.kind == 'end' then
    text = (text ~= '' and text or 'done')
  end
  vim.schedule(function()
    vim.api.nvim_echo({ { 'OCI ' .. text } }, false, {})
  end)
end

--- The $/progress handler: Neovim's own (0.7 keeps progress in client.messages, newer versions in client.progress),
--- then the command line.
function M.progress_handler()
  local default_progress = vim.lsp.handlers['$/progress']
  return function(err, result, ctx, handler_config)
    if default_progress then
      pcall(default_progress, err, result, ctx, handler_config)
    end
    if result then
      echo_progress(result.value)
    end
  end
end

--- The oci/status handler: keeps the last status and redraws statuslines.
function M.status_handler(_, result)
  state.status = result
  vim.schedule(function()
    vim.cmd('redrawstatus')
  end)
end

--- The last oci/status as a short string for statuslines ('' before the server reported).
function M.line()
  local s = state.status
  if type(s) ~= 'table' or not s.state then
    return ''
  end
  -- Generated code without a sandbox runs with the user's rights: the statusline says so (schemas/status.schema.json).
  local sandbox = (s.sandbox == 'none' or s.sandbox == 'off') and ' [no sandbox]'
    or (s.sandbox == 'refused' and ' [sandbox required: unavailable]' or '')
  if s.state == 'none' then
    return 'OCI: Roslyn fixes only' .. sandbox
  end
  local model = (type(s.model) == 'string' and s.model ~= '') and (' ' .. vim.fn.fnamemodify(s.model, ':t')) or ''
  return 'OCI ' .. s.state .. model .. sandbox
end

--- Shows a message as 'OCI: …' (scheduled: callers may run in a fast event).
function M.notify(message, level)
  vim.schedule(function()
    vim.notify('OCI: ' .. message, level or vim.log.levels.INFO)
  end)
end

return M
