-- The plugin's configuration as setup{} left it; every module reads it from here.
local M = {
  cmd = nil, -- default: client.default_cmd()
  settings = {}, -- section oci, shaped as schemas/settings.schema.json
  filetypes = { 'cs' },
  on_attach = nil,
  on_init = nil,
  capabilities = nil,
}

--- Takes setup{}'s options (the settings replace the previous ones as a whole).
function M.apply(opts)
  for key, value in pairs(opts) do
    M[key] = value
  end
  M.settings = opts.settings or {}
end

return M
