-- Watched files for Neovim 0.7, which has no workspace/didChangeWatchedFiles support of its own: the files the server
-- needs to know about (sources, projects, solutions, MSBuild imports, lock files, global.json) are watched with
-- vim.loop fs events, one per folder (libuv watches recursively only on macOS and Windows), and a rescan on
-- FocusGained/BufWritePost catches what the events missed. Changes are batched (a checkout touches many files at
-- once) and sent as one workspace/didChangeWatchedFiles notification.
local M = {}

M.debounce_ms = 200

local ignored_folders = { bin = true, obj = true, ['.git'] = true, ['.vs'] = true, ['.idea'] = true,
  node_modules = true, TestResults = true, ['.oci'] = true }
local extensions = { cs = true, csproj = true, props = true, targets = true, sln = true, slnx = true }
local names = { ['packages.lock.json'] = true, ['global.json'] = true }

--- Whether the server wants to hear about this file (the patterns it registers with clients that can watch).
function M.matches(path)
  local name = vim.fn.fnamemodify(path, ':t')
  if names[name] then
    return true
  end
  return extensions[name:match('%.([^.]+)$') or ''] == true
end

--- path -> modification time (sec.nsec) of every watched file under root, and the folders searched.
function M.snapshot(root)
  local files, folders = {}, {}
  local function walk(dir)
    table.insert(folders, dir)
    local handle = vim.loop.fs_scandir(dir)
    if not handle then
      return
    end
    while true do
      local name, kind = vim.loop.fs_scandir_next(handle)
      if not name then
        break
      end
      local path = dir .. '/' .. name
      if kind == 'directory' then
        if not ignored_folders[name] then
          walk(path)
        end
      elseif M.matches(path) then
        local stat = vim.loop.fs_stat(path)
        if stat then
          files[path] = stat.mtime.sec .. '.' .. stat.mtime.nsec .. ':' .. stat.size
        end
      end
    end
  end
  walk(root)
  return files, folders
end

--- The LSP FileEvents between two snapshots (1 created, 2 changed, 3 deleted), sorted by path.
function M.diff(before, after)
  local changes = {}
  for path, stamp in pairs(after) do
    if before[path] == nil then
      table.insert(changes, { uri = vim.uri_from_fname(path), type = 1 })
    elseif before[path] ~= stamp then
      table.insert(changes, { uri = vim.uri_from_fname(path), type = 2 })
    end
  end
  for path in pairs(before) do
    if after[path] == nil then
      table.insert(changes, { uri = vim.uri_from_fname(path), type = 3 })
    end
  end
  table.sort(changes, function(a, b) return a.uri < b.uri end)
  return changes
end

local watchers = {} -- root -> { files, handles, timer, send, augroup }

local function close_handles(entry)
  for _, handle in pairs(entry.handles) do
    if not handle:is_closing() then
      handle:stop()
      handle:close()
    end
  end
  entry.handles = {}
end

--- Compares the disk with the last snapshot and sends what changed; re-arms the folder watchers (new folders).
function M.rescan(root)
  local entry = watchers[root]
  if not entry then
    return {}
  end
  local files, folders = M.snapshot(root)
  local changes = M.diff(entry.files, files)
  entry.files = files
  M.arm(root, folders)
  if #changes > 0 then
    entry.send(changes)
  end
  return changes
end

local function schedule_rescan(root)
  local entry = watchers[root]
  if not entry then
    return
  end
  entry.timer:stop()
  entry.timer:start(M.debounce_ms, 0, vim.schedule_wrap(function()
    M.rescan(root)
  end))
end

--- One fs event watcher per folder (new folders get theirs at the next rescan).
function M.arm(root, folders)
  local entry = watchers[root]
  for _, dir in ipairs(folders) do
    if not entry.handles[dir] then
      local handle = vim.loop.new_fs_event()
      if handle and handle:start(dir, {}, function() schedule_rescan(root) end) == 0 then
        entry.handles[dir] = handle
      elseif handle then
        handle:close()
      end
    end
  end
  for dir, handle in pairs(entry.handles) do
    if vim.loop.fs_stat(dir) == nil then
      handle:stop()
      handle:close()
      entry.handles[dir] = nil
    end
  end
end

--- Starts watching root; send(changes) receives each batch of FileEvents. Returns a function that stops it.
function M.watch(root, send)
  M.stop(root)
  local files, folders = M.snapshot(root)
  local entry = { files = files, handles = {}, timer = vim.loop.new_timer(), send = send }
  watchers[root] = entry
  M.arm(root, folders)
  -- Events can be missed (a watcher limit, a folder created and filled at once): rescan when the user comes back.
  local group = 'OciWatch' .. vim.fn.sha256(root):sub(1, 12)
  vim.cmd('augroup ' .. group .. ' | autocmd! | augroup END')
  vim.cmd(string.format("autocmd %s FocusGained,BufWritePost * lua require('oci.watch').rescan(%q)", group, root))
  entry.augroup = group
  return function() M.stop(root) end
end

function M.stop(root)
  local entry = watchers[root]
  if not entry then
    return
  end
  close_handles(entry)
  entry.timer:stop()
  entry.timer:close()
  vim.cmd('augroup ' .. entry.augroup .. ' | autocmd! | augroup END')
  watchers[root] = nil
end

--- Watches the client's root and sends workspace/didChangeWatchedFiles to it until it stops.
function M.attach(client, root)
  M.watch(root, function(changes)
    if client.is_stopped() then
      M.stop(root)
      return
    end
    client.notify('workspace/didChangeWatchedFiles', { changes = changes })
  end)
end

return M
