-- The buffer's diagnostics as the server needs them in a fix command (schemas/PROTOCOL.md): LSP shape, in the
-- position encoding negotiated with the OCI client.
local positions = require('oci.positions')
local buffers = require('oci.buffers')

local M = {}

--- The buffer's diagnostics in LSP shape, in `encoding`. vim.diagnostic keeps 0-based lines and byte columns; those
--- are converted, never another client's LSP range (its encoding may differ).
function M.lsp_diagnostics(bufnr, encoding)
  local result = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    local lsp = (d.user_data and d.user_data.lsp) or {}
    local end_lnum = d.end_lnum or d.lnum
    local range = {
      start = { line = d.lnum, character = positions.character(buffers.line_text(bufnr, d.lnum), d.col, encoding) },
      ['end'] = { line = end_lnum, character = positions.character(buffers.line_text(bufnr, end_lnum), d.end_col or d.col, encoding) },
    }
    table.insert(result, {
      range = range,
      severity = d.severity,
      code = d.code or lsp.code,
      message = d.message,
    })
  end
  return result
end

return M
