-- User commands of the OCI plugin; the language client itself starts with require('oci').setup{}.
if vim.g.loaded_oci then
  return
end
vim.g.loaded_oci = true

local function command(name, fn, description)
  vim.api.nvim_create_user_command(name, function(opts)
    require('oci')[fn](opts)
  end, { range = true, desc = description })
end

command('OciGenerate', 'generate', 'OCI: generate code at the cursor or for the range')
command('OciRefine', 'refine', 'OCI: run the tests and refine until they pass')
command('OciFix', 'fix', 'OCI: fix the diagnostic at the cursor')
command('OciRefineSelection', 'refine_selection', 'OCI: refine the range after an instruction')
vim.api.nvim_create_user_command('OciCancel', function()
  require('oci').cancel()
end, { desc = 'OCI: cancel every running task' })
vim.api.nvim_create_user_command('OciAccept', function()
  require('oci').accept()
end, { desc = 'OCI: apply the verified fix-it at the cursor line' })
-- One key for it: e.g. vim.keymap.set('n', '<M-CR>', '<Plug>(OciAccept)') (see :help oci-fixits).
vim.keymap.set('n', '<Plug>(OciAccept)', function() require('oci').accept() end, { desc = 'OCI: apply the verified fix-it' })
vim.api.nvim_create_user_command('OciStatus', function()
  local status = require('oci').status()
  vim.api.nvim_echo({ { status ~= '' and status or 'OCI: no status from the server yet' } }, false, {})
end, { desc = 'OCI: show the model status' })
