-- OCI for Neovim: starts the OCI language server with the built-in vim.lsp client for C# buffers and adds the
-- :Oci* commands. Works on Neovim 0.7.2 and newer (only APIs that 0.7 has, with fallbacks for renamed ones).
local arguments = require('oci.arguments')
local settings_check = require('oci.settings')
local positions = require('oci.positions')
local fixits = require('oci.fixits')
local preview = require('oci.preview')
local watch = require('oci.watch')

local M = {}

local config = {
  cmd = nil, -- default: see default_cmd()
  settings = {}, -- section oci, shaped as schemas/settings.schema.json
  filetypes = { 'cs' },
  on_attach = nil,
  on_init = nil,
  capabilities = nil,
}

local clients = {} -- root_dir -> client id
local pending = {} -- request id -> { client_id, command, bufnr }
local cancelled = {} -- request id -> true: cancelled and reported, a late answer is ignored
local state = { status = nil, progress = {}, results = {}, exit = nil, setup_done = false }

local function notify(message, level)
  vim.schedule(function()
    vim.notify('OCI: ' .. message, level or vim.log.levels.INFO)
  end)
end

local function repository_root()
  local source = debug.getinfo(1, 'S').source:gsub('^@', '')
  return vim.fn.fnamemodify(source, ':p:h:h:h:h:h')
end

--- The server command when setup{} gives none: `oci` on PATH (dotnet tool install -g OCI.LanguageServer), else
--- `dotnet run` of src/OCI.LanguageServer in the repository this plugin lives in (development).
function M.default_cmd()
  if vim.fn.executable('oci') == 1 then
    return { 'oci', '--stdio' }
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

local function get_client(id)
  return id and vim.lsp.get_client_by_id(id) or nil
end

--- The OCI client attached to a buffer, or nil.
function M.client_for(bufnr)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  for _, id in pairs(clients) do
    local client = get_client(id)
    if client and not client.is_stopped() and vim.lsp.buf_is_attached(bufnr, id) then
      return client
    end
  end
  return nil
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

local function handlers()
  local default_progress = vim.lsp.handlers['$/progress']
  return {
    -- Progress in the command line (0.7 keeps it in client.messages; newer versions in client.progress).
    ['$/progress'] = function(err, result, ctx, handler_config)
      if default_progress then
        pcall(default_progress, err, result, ctx, handler_config)
      end
      if result then
        echo_progress(result.value)
      end
    end,
    ['workspace/configuration'] = function(_, result)
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
    end,
    ['oci/fixIts'] = fixits.handler,
    -- Previews (and asks) when oci.refine.previewEdits sends an edit that needs confirmation.
    ['workspace/applyEdit'] = preview.apply_edit_handler,
    ['oci/status'] = function(_, result)
      state.status = result
      vim.schedule(function()
        vim.cmd('redrawstatus')
      end)
    end,
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

--- Starts (or reuses) the client for the buffer's workspace root and attaches the buffer.
function M.attach(bufnr)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  local name = vim.api.nvim_buf_get_name(bufnr)
  if name == '' then
    return nil
  end
  local cmd = config.cmd or M.default_cmd()
  if not cmd then
    notify('no server command: pass cmd to setup{} or install the oci tool', vim.log.levels.ERROR)
    return nil
  end
  local root = M.find_root(name)
  local id = clients[root]
  local existing = get_client(id)
  if not existing or existing.is_stopped() then
    id = vim.lsp.start_client({
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
        state.exit = { code = code, signal = signal }
        if code ~= 0 then
          notify(string.format('the language server exited (code %s, signal %s)', tostring(code), tostring(signal)),
            vim.log.levels.ERROR)
        end
      end,
    })
    if not id then
      notify('could not start ' .. table.concat(cmd, ' '), vim.log.levels.ERROR)
      return nil
    end
    clients[root] = id
  end
  vim.lsp.buf_attach_client(bufnr, id)
  return id
end

local function line_text(bufnr, row)
  return vim.api.nvim_buf_get_lines(bufnr, row, row + 1, false)[1] or ''
end

local function encoding_for(bufnr)
  return positions.encoding_of(M.client_for(bufnr))
end

--- The LSP range of a :command's range (line1..line2, with the visual marks when they match it), or the cursor,
--- in the client's negotiated position encoding.
function M.editor_range(bufnr, opts)
  local encoding = encoding_for(bufnr)
  local function utf16_col(line, byte_col) return positions.character(line, byte_col, encoding) end
  if opts and opts.range and opts.range > 0 then
    local s, e = vim.fn.getpos("'<"), vim.fn.getpos("'>")
    if s[2] == opts.line1 and e[2] == opts.line2 then
      local end_line = line_text(bufnr, e[2] - 1)
      local end_col = math.min(e[3], #end_line) -- inclusive byte col (1-based) -> exclusive 0-based
      return {
        start = { line = s[2] - 1, character = utf16_col(line_text(bufnr, s[2] - 1), s[3] - 1) },
        ['end'] = { line = e[2] - 1, character = utf16_col(end_line, end_col) },
      }
    end
    return {
      start = { line = opts.line1 - 1, character = 0 },
      ['end'] = { line = opts.line2 - 1, character = utf16_col(line_text(bufnr, opts.line2 - 1), math.huge) },
    }
  end
  local cursor = vim.api.nvim_win_get_cursor(0)
  local position = { line = cursor[1] - 1, character = utf16_col(line_text(bufnr, cursor[1] - 1), cursor[2]) }
  return { start = position, ['end'] = position }
end

--- The buffer's diagnostics in LSP shape, in `encoding` (default: the OCI client's). vim.diagnostic keeps 0-based
--- lines and byte columns; those are converted, never another client's LSP range (its encoding may differ).
function M.lsp_diagnostics(bufnr, encoding)
  encoding = encoding or encoding_for(bufnr)
  local result = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    local lsp = (d.user_data and d.user_data.lsp) or {}
    local end_lnum = d.end_lnum or d.lnum
    local range = {
      start = { line = d.lnum, character = positions.character(line_text(bufnr, d.lnum), d.col, encoding) },
      ['end'] = { line = end_lnum, character = positions.character(line_text(bufnr, end_lnum), d.end_col or d.col, encoding) },
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

local function buffer_version(bufnr)
  local versions = vim.lsp.util.buf_versions
  local version = versions and versions[bufnr]
  if version == nil then
    version = vim.api.nvim_buf_get_changedtick(bufnr)
  end
  return version
end

--- Editor state for arguments.build: uri, version, range, diagnostics.
function M.editor_state(bufnr, opts)
  return {
    uri = vim.uri_from_bufnr(bufnr),
    version = buffer_version(bufnr),
    range = M.editor_range(bufnr, opts),
    diagnostics = M.lsp_diagnostics(bufnr),
  }
end

local function report(command, err, result)
  local entry = { command = command, err = err, result = result }
  table.insert(state.results, entry)
  -- The server shows every outcome itself (window/showMessage); only what it cannot say is notified here.
  if err then
    local cancelled = err.code == -32800
    notify((cancelled and 'cancelled' or ('failed: ' .. tostring(err.message))),
      cancelled and vim.log.levels.INFO or vim.log.levels.ERROR)
  end
  vim.schedule(function()
    vim.api.nvim_exec_autocmds('User', { pattern = 'OciResult', modeline = false })
  end)
end

--- Sends workspace/executeCommand for an OCI command with already-built arguments; returns the request id.
function M.execute(command, args, bufnr)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  local client = M.client_for(bufnr)
  if not client then
    notify('no OCI language server attached to this buffer (call require("oci").setup{})', vim.log.levels.ERROR)
    return nil
  end
  local params = { command = command, arguments = args and { args } or {} }
  local ok, request_id
  ok, request_id = client.request('workspace/executeCommand', params, function(err, result)
    pending[request_id] = nil
    if cancelled[request_id] then
      cancelled[request_id] = nil
      return -- M.cancel already reported it
    end
    report(command, err, result)
  end, bufnr)
  if not ok then
    notify('the language server is not running', vim.log.levels.ERROR)
    return nil
  end
  pending[request_id] = { client_id = client.id, command = command, bufnr = bufnr }
  return request_id
end

--- Builds the arguments for the current buffer and sends a refine command. Errors (no diagnostic, no
--- instruction) are reported, never sent.
function M.run(command, opts, instruction)
  local bufnr = vim.api.nvim_get_current_buf()
  local ok, args = pcall(arguments.build, command, M.editor_state(bufnr, opts), instruction)
  if not ok then
    notify(tostring(args), vim.log.levels.ERROR)
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

function M.generate(opts) return M.run('oci.generate', opts) end
function M.refine(opts) return M.run('oci.runAndRefine', opts) end
function M.fix(opts) return M.run('oci.fixDiagnostic', opts) end

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
      notify(tostring(args), vim.log.levels.ERROR)
    end
  end)
end

--- Cancels every running OCI task: $/cancelRequest for our requests and oci.cancel for the server's tasks.
--- Neovim's RPC layer drops the server's -32800 answer to a cancelled request without calling its handler, so
--- the cancellation is reported here (a result arriving later for that request is ignored).
function M.cancel()
  for request_id, request in pairs(pending) do
    local client = get_client(request.client_id)
    pending[request_id] = nil
    if client then
      client.cancel_request(request_id)
      cancelled[request_id] = true
      report(request.command, { code = -32800, message = 'cancelled' }, nil)
    end
  end
  for _, id in pairs(clients) do
    local client = get_client(id)
    if client and not client.is_stopped() then
      client.request('workspace/executeCommand', { command = 'oci.cancel', arguments = {} }, function() end)
    end
  end
end

--- The last oci/status as a short string for statuslines ('' before the server reported).
function M.status()
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

--- :OciAccept: applies the verified fix-it at (or nearest to) the cursor.
function M.accept()
  return fixits.accept(vim.api.nvim_get_current_buf())
end

--- Raw state, for tests and custom statuslines: { status, progress = {...}, results = {...}, exit }.
function M.state()
  return state
end

local function register_code_action_commands()
  -- Code actions carry these commands; oci.refineSelection lacks the instruction, which we ask for here.
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

--- setup{ cmd = {...}, settings = { model = {...}, refine = {...}, verification = {...} }, on_attach = fn }
function M.setup(opts)
  opts = opts or {}
  config = vim.tbl_extend('force', config, opts)
  config.settings = opts.settings or {}
  local schema = settings_check.load_schema()
  if schema then
    local problems = settings_check.check(config.settings, schema)
    if #problems > 0 then
      notify('settings: ' .. table.concat(problems, '; '), vim.log.levels.WARN)
    end
  end
  register_code_action_commands()
  local group = vim.api.nvim_create_augroup('oci', { clear = true })
  vim.api.nvim_create_autocmd('FileType', {
    group = group,
    pattern = config.filetypes,
    callback = function(args)
      M.attach(args.buf)
    end,
  })
  state.setup_done = true
  for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(bufnr) and vim.tbl_contains(config.filetypes, vim.bo[bufnr].filetype) then
      M.attach(bufnr)
    end
  end
end

--- Stops every OCI client (tests, :OciRestart).
function M.stop()
  for root, id in pairs(clients) do
    local client = get_client(id)
    if client then
      client.stop()
    end
    clients[root] = nil
  end
end

return M
