-- Buffer facts the other modules share: the version the LSP client sent for a buffer, one line's text.
local M = {}

--- The document version the client last sent (vim.lsp.util.buf_versions), else the buffer's changedtick.
function M.version(bufnr)
  local versions = vim.lsp.util.buf_versions
  local version = versions and versions[bufnr]
  if version == nil then
    version = vim.api.nvim_buf_get_changedtick(bufnr)
  end
  return version
end

--- The text of 0-based line `row` ('' past the end).
function M.line_text(bufnr, row)
  return vim.api.nvim_buf_get_lines(bufnr, row, row + 1, false)[1] or ''
end

--- The buffer number for nil or 0 (the current buffer), else `bufnr`.
function M.resolve(bufnr)
  return (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
end

return M
