-- Verified fix-its (the server's oci/fixIts notification, schemas/PROTOCOL.md): shown as virtual text at the error
-- line, applied with :OciAccept (or a mapping to <Plug>(OciAccept)), gone as soon as the buffer changes.
local M = {}

M.namespace = vim.api.nvim_create_namespace('oci_fixits')
local by_buffer = {} -- bufnr -> { version, client_id, fixits }
local watched = {} -- bufnr -> true once nvim_buf_attach watches it

local buffer_version = require('oci.buffers').version

--- Removes the buffer's fix-its and their virtual text.
function M.clear(bufnr)
  by_buffer[bufnr] = nil
  if vim.api.nvim_buf_is_valid(bufnr) then
    vim.api.nvim_buf_clear_namespace(bufnr, M.namespace, 0, -1)
  end
end

local function watch(bufnr)
  if watched[bufnr] then
    return
  end
  watched[bufnr] = true
  vim.api.nvim_buf_attach(bufnr, false, {
    -- Any change makes the fix-its stale (their edit is versioned): drop them at once, the server sends new ones.
    on_lines = function()
      if by_buffer[bufnr] then
        vim.schedule(function() M.clear(bufnr) end)
      end
    end,
    on_detach = function()
      watched[bufnr] = nil
      by_buffer[bufnr] = nil
    end,
  })
end

local function render(bufnr, fixits)
  vim.api.nvim_buf_clear_namespace(bufnr, M.namespace, 0, -1)
  local shown = {}
  for _, fixit in ipairs(fixits) do
    local line = fixit.range.start.line
    if not shown[line] and line < vim.api.nvim_buf_line_count(bufnr) then
      shown[line] = true
      vim.api.nvim_buf_set_extmark(bufnr, M.namespace, line, 0, {
        virt_text = { { '  ✓ ' .. fixit.title .. '  :OciAccept', 'DiagnosticHint' } },
        virt_text_pos = 'eol',
        hl_mode = 'combine',
      })
    end
  end
end

--- The oci/fixIts handler: keeps the set only while the buffer is still at its version.
function M.handler(_, result, ctx)
  if type(result) ~= 'table' or type(result.textDocument) ~= 'table' then
    return
  end
  local bufnr = vim.uri_to_bufnr(result.textDocument.uri)
  if not vim.api.nvim_buf_is_loaded(bufnr) then
    return
  end
  if buffer_version(bufnr) ~= result.textDocument.version or #(result.fixIts or {}) == 0 then
    M.clear(bufnr)
    return
  end
  watch(bufnr)
  by_buffer[bufnr] = { version = result.textDocument.version, client_id = ctx and ctx.client_id, fixits = result.fixIts }
  render(bufnr, result.fixIts)
  vim.api.nvim_exec_autocmds('User', { pattern = 'OciFixIts', modeline = false })
end

--- The buffer's current fix-its (empty when none, or when they no longer apply).
function M.get(bufnr)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  local set = by_buffer[bufnr]
  if not set or set.version ~= buffer_version(bufnr) then
    return {}
  end
  return set.fixits
end

--- The fix-it at the cursor line, else the nearest one in the buffer.
function M.at_cursor(bufnr)
  local fixits = M.get(bufnr)
  local row = vim.api.nvim_win_get_cursor(0)[1] - 1
  local best, distance
  for _, fixit in ipairs(fixits) do
    local d = math.abs(fixit.range.start.line - row)
    if not best or d < distance then
      best, distance = fixit, d
    end
  end
  return best
end

--- :OciAccept: applies the fix-it at (or nearest to) the cursor; false with a message when there is none.
function M.accept(bufnr)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  local fixit = M.at_cursor(bufnr)
  if not fixit then
    vim.notify('OCI: no verified fix-it here (they appear after a pause in typing)', vim.log.levels.INFO)
    return false
  end
  local set = by_buffer[bufnr]
  local client = set and set.client_id and vim.lsp.get_client_by_id(set.client_id)
  local encoding = require('oci.positions').encoding_of(client)
  M.clear(bufnr)
  vim.lsp.util.apply_workspace_edit(fixit.edit, encoding)
  vim.notify('OCI: applied ' .. fixit.title, vim.log.levels.INFO)
  return true
end

return M
