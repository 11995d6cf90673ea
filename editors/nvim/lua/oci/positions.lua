-- Positions in the encoding negotiated with the server: Neovim counts bytes, LSP characters count UTF-16 units by
-- default, or bytes when both sides agreed on utf-8 (the plugin offers utf-8 first, as newer Neovim does).
local M = {}

--- The client's negotiated encoding ('utf-8', 'utf-16' or 'utf-32'); 'utf-16' without a client.
function M.encoding_of(client)
  return (client and client.offset_encoding) or 'utf-16'
end

--- The LSP character of a byte column of `line` in `encoding`.
function M.character(line, byte_col, encoding)
  byte_col = math.min(byte_col, #line)
  if encoding == 'utf-8' then
    return byte_col
  end
  if vim.fn.has('nvim-0.11') == 1 then
    return vim.str_utfindex(line, encoding, byte_col, false)
  end
  local utf32, utf16 = vim.str_utfindex(line, byte_col)
  return encoding == 'utf-32' and utf32 or utf16
end

--- The LSP range of a :command's range (line1..line2, with the visual marks when they match it), or the cursor,
--- in `encoding`.
function M.editor_range(bufnr, opts, encoding)
  local line_text = require('oci.buffers').line_text
  local function column(line, byte_col) return M.character(line, byte_col, encoding) end
  if opts and opts.range and opts.range > 0 then
    local s, e = vim.fn.getpos("'<"), vim.fn.getpos("'>")
    if s[2] == opts.line1 and e[2] == opts.line2 then
      local end_line = line_text(bufnr, e[2] - 1)
      local end_col = math.min(e[3], #end_line) -- inclusive byte col (1-based) -> exclusive 0-based
      return {
        start = { line = s[2] - 1, character = column(line_text(bufnr, s[2] - 1), s[3] - 1) },
        ['end'] = { line = e[2] - 1, character = column(end_line, end_col) },
      }
    end
    return {
      start = { line = opts.line1 - 1, character = 0 },
      ['end'] = { line = opts.line2 - 1, character = column(line_text(bufnr, opts.line2 - 1), math.huge) },
    }
  end
  local cursor = vim.api.nvim_win_get_cursor(0)
  local position = { line = cursor[1] - 1, character = column(line_text(bufnr, cursor[1] - 1), cursor[2]) }
  return { start = position, ['end'] = position }
end

--- What the plugin adds to the client's capabilities: utf-8 offered first (the server accepts it; Neovim 0.7 does
--- not offer it itself, see init_result below).
function M.offer(capabilities)
  capabilities.general = capabilities.general or {}
  capabilities.general.positionEncodings = { 'utf-8', 'utf-16' }
  return capabilities
end

--- on_init: Neovim before 0.10 reads only clangd's `offsetEncoding`; take the server's standard `positionEncoding`.
function M.init_result(client, result)
  local negotiated = result and result.capabilities and result.capabilities.positionEncoding
  if negotiated == 'utf-8' or negotiated == 'utf-16' or negotiated == 'utf-32' then
    client.offset_encoding = negotiated
  end
end

return M
