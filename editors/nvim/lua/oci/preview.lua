-- oci.refine.previewEdits: an applyEdit whose change annotation needs confirmation is shown as a diff in a scratch
-- buffer first, and applied only when the user says yes (schemas/PROTOCOL.md, "Preview before apply").
local M = {}

--- Asks the user; tests replace it. Returns true to apply.
function M.confirm(label)
  return vim.fn.confirm('OCI: apply ' .. (label or 'this edit') .. '?', '&Apply\n&Cancel', 2) == 1
end

local function needs_confirmation(edit)
  for _, annotation in pairs(edit.changeAnnotations or {}) do
    if annotation.needsConfirmation then
      return true, annotation.label
    end
  end
  return false
end

local function text_edits_by_uri(edit)
  local result = {}
  for _, change in ipairs(edit.documentChanges or {}) do
    if change.textDocument and change.edits then
      result[change.textDocument.uri] = change.edits
    end
  end
  for uri, edits in pairs(edit.changes or {}) do
    result[uri] = edits
  end
  return result
end

--- The unified diff of the edit, file by file, computed on scratch copies of the buffers.
function M.diff(edit, encoding)
  local parts = {}
  for uri, edits in pairs(text_edits_by_uri(edit)) do
    local bufnr = vim.uri_to_bufnr(uri)
    vim.fn.bufload(bufnr)
    local before = vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
    local scratch = vim.api.nvim_create_buf(false, true)
    vim.api.nvim_buf_set_lines(scratch, 0, -1, false, before)
    vim.lsp.util.apply_text_edits(edits, scratch, encoding)
    local after = vim.api.nvim_buf_get_lines(scratch, 0, -1, false)
    vim.api.nvim_buf_delete(scratch, { force = true })
    local name = vim.uri_to_fname(uri)
    table.insert(parts, '--- ' .. name .. '\n+++ ' .. name .. '\n'
      .. vim.diff(table.concat(before, '\n') .. '\n', table.concat(after, '\n') .. '\n'))
  end
  return table.concat(parts, '\n')
end

local function show(diff)
  vim.cmd('botright new')
  local bufnr = vim.api.nvim_get_current_buf()
  vim.bo[bufnr].buftype = 'nofile'
  vim.bo[bufnr].bufhidden = 'wipe'
  vim.bo[bufnr].swapfile = false
  vim.api.nvim_buf_set_lines(bufnr, 0, -1, false, vim.split(diff, '\n', { plain = true }))
  vim.bo[bufnr].modifiable = false
  vim.bo[bufnr].filetype = 'diff'
  vim.cmd('redraw')
  return vim.api.nvim_get_current_win()
end

--- The last preview shown (tests read it).
M.last_diff = nil

--- A workspace/applyEdit handler: previews and asks when the edit needs confirmation, else applies as Neovim does.
function M.apply_edit_handler(_, params, ctx)
  if not params or not params.edit then
    return { applied = false, failureReason = 'no edit' }
  end
  local client = vim.lsp.get_client_by_id(ctx.client_id)
  local encoding = require('oci.positions').encoding_of(client)
  local confirm, label = needs_confirmation(params.edit)
  if confirm then
    local diff = M.diff(params.edit, encoding)
    M.last_diff = diff
    local previous_win = vim.api.nvim_get_current_win()
    local win = show(diff)
    local yes = M.confirm(label or params.label)
    if vim.api.nvim_win_is_valid(win) then
      vim.api.nvim_win_close(win, true)
    end
    if vim.api.nvim_win_is_valid(previous_win) then
      vim.api.nvim_set_current_win(previous_win)
    end
    if not yes then
      return { applied = false, failureReason = 'declined in the preview' }
    end
  end
  local ok, err = pcall(vim.lsp.util.apply_workspace_edit, params.edit, encoding)
  return { applied = ok, failureReason = (not ok) and tostring(err) or nil }
end

return M
