-- The language client's lifecycle: the server command, the workspace root, one vim.lsp client per root, the
-- capabilities the plugin adds and the handlers of the server's notifications and requests.
local config = require('oci.config')
local settings_check = require('oci.settings')
local positions = require('oci.positions')
local fixits = require('oci.fixits')
local preview = require('oci.preview')
local watch = require('oci.watch')
local status = require('oci.status')
local buffers = require('oci.buffers')

local M = {}

local clients = {} -- root_dir -> client id

local function repository_root()
  local source = debug.getinfo(1, 'S').source:gsub('^@', '')
  return vim.fn.fnamemodify(source, ':p:h:h:h:h:h')
end

--- The server command when setup{} gives none: `oci` on PATH (dotnet tool install -g OCI.LanguageServer), else in the
--- repository this plugin lives in (development) its published server (artifacts/server), else `dotnet run` of
--- src/OCI.LanguageServer.
function M.default_cmd()
  if vim.fn.executable('oci') == 1 then
    return { 'oci', '--stdio' }
  end
  -- The ReadyToRun publish (bash scripts/publish-server.sh) starts faster than dotnet run of the project.
  local published = repository_root() .. '/artifacts/server/OCI.LanguageServer'
  if vim.fn.executable(published) == 1 then
    return { published, '--stdio' }
  end
  local project = repository_root() .. '/src/OCI.LanguageServer'
  if vim.fn.isdirectory(project) == 1 then
    return { 'dotnet', 'run', '--project', project, '-v', 'q', '--', '--stdio' }
  end
  return nil
end

--- The workspace root of a file: the nearest folder upward holding a .sln or .slnx, else the nearest holding a
--- .csproj, else the file's own folder.
function M.find_root(path)
  local start = vim.fn.fnamemodify(path, ':p:h')
  for _, patterns in ipairs({ { '*.sln', '*.slnx' }, { '*.csproj' } }) do
    local dir = start
    while true do
      for _, pattern in ipairs(patterns) do
        if vim.fn.glob(dir .. '/' .. pattern, true, true)[1] then
          return dir
        end
      end
      local parent = vim.fn.fnamemodify(dir, ':h')
      if parent == dir then
        break
      end
      dir = parent
    end
  end
  return start
end

--- The client with this id, or nil.
function M.get(id)
  return id and vim.lsp.get_client_by_id(id) or nil
end

--- Every running OCI client.
function M.running()
  local result = {}
  for _, id in pairs(clients) do
    local client = M.get(id)
    if client and not client.is_stopped() then
      table.insert(result, client)
    end
  end
  return result
end

--- The OCI client attached to a buffer, or nil.
function M.client_for(bufnr)
  bufnr = buffers.resolve(bufnr)
  for _, client in ipairs(M.running()) do
    if vim.lsp.buf_is_attached(bufnr, client.id) then
      return client
    end
  end
  return nil
end

--- The position encoding negotiated with the buffer's OCI client ('utf-16' without one).
function M.encoding_for(bufnr)
  return positions.encoding_of(M.client_for(bufnr))
end

local function workspace_configuration(_, result)
  local answers = {}
  for _, item in ipairs((result or {}).items or {}) do
    if item.section == 'oci' then
      table.insert(answers, settings_check.as_json_object(config.settings))
    elseif item.section == nil or item.section == '' then
      table.insert(answers, { oci = settings_check.as_json_object(config.settings) })
    else
      table.insert(answers, vim.NIL)
    end
  end
  return answers
end

local function handlers()
  return {
    ['$/progress'] = status.progress_handler(),
    ['workspace/configuration'] = workspace_configuration,
    ['oci/fixIts'] = fixits.handler,
    -- Previews (and asks) when oci.refine.previewEdits sends an edit that needs confirmation.
    ['workspace/applyEdit'] = preview.apply_edit_handler,
    ['oci/status'] = status.status_handler,
  }
end

--- The client capabilities: Neovim's (or setup's), plus utf-8 positions offered first, oci/fixIts, and change
--- annotations (the preview of oci.refine.previewEdits).
function M.capabilities()
  local capabilities = vim.deepcopy(config.capabilities or vim.lsp.protocol.make_client_capabilities())
  positions.offer(capabilities)
  capabilities.experimental = vim.tbl_extend('force', capabilities.experimental or {}, { ociFixIts = true })
  capabilities.workspace = capabilities.workspace or {}
  capabilities.workspace.workspaceEdit = capabilities.workspace.workspaceEdit or {}
  capabilities.workspace.workspaceEdit.changeAnnotationSupport = { groupsOnLabel = false }
  return capabilities
end

local function start(cmd, root)
  return vim.lsp.start_client({
    name = 'oci',
    cmd = cmd,
    root_dir = root,
    workspace_folders = { { uri = vim.uri_from_fname(root), name = vim.fn.fnamemodify(root, ':t') } },
    init_options = settings_check.as_json_object(config.settings),
    settings = { oci = settings_check.as_json_object(config.settings) },
    capabilities = M.capabilities(),
    handlers = handlers(),
    on_init = function(client, result)
      positions.init_result(client, result)
      watch.attach(client, root) -- Neovim 0.7 has no file watcher of its own: see oci/watch.lua
      if config.on_init then
        config.on_init(client, result)
      end
    end,
    on_attach = config.on_attach,
    on_exit = function(code, signal)
      vim.schedule(function() watch.stop(root) end)
      status.state().exit = { code = code, signal = signal }
      if code ~= 0 then
        status.notify(string.format('the language server exited (code %s, signal %s)', tostring(code), tostring(signal)),
          vim.log.levels.ERROR)
      end
    end,
  })
end

--- Starts (or reuses) the client for the buffer's workspace root and attaches the buffer.
function M.attach(bufnr)
  bufnr = buffers.resolve(bufnr)
  local name = vim.api.nvim_buf_get_name(bufnr)
  if name == '' then
    return nil
  end
  local cmd = config.cmd or M.default_cmd()
  if not cmd then
    status.notify('no server command: pass cmd to setup{} or install the oci tool', vim.log.levels.ERROR)
    return nil
  end
  local root = M.find_root(name)
  local id = clients[root]
  local existing = M.get(id)
  if not existing or existing.is_stopped() then
    id = start(cmd, root)
    if not id then
      status.notify('could not start ' .. table.concat(cmd, ' '), vim.log.levels.ERROR)
      return nil
    end
    clients[root] = id
  end
  vim.lsp.buf_attach_client(bufnr, id)
  return id
end

--- Stops every OCI client (tests, :OciRestart).
function M.stop()
  for root, id in pairs(clients) do
    local client = M.get(id)
    if client then
      client.stop()
    end
    clients[root] = nil
  end
end

return M
