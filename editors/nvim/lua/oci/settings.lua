-- Checks user settings against schemas/settings.schema.json (the one description shared with the server and
-- VS Code), so a typo is reported in Neovim instead of being silently ignored by the server.
local M = {}
local islist = vim.islist or vim.tbl_islist

--- Path of settings.schema.json in the repository this plugin lives in (editors/nvim/lua/oci/settings.lua).
function M.schema_path()
  local source = debug.getinfo(1, 'S').source:gsub('^@', '')
  return vim.fn.fnamemodify(source, ':p:h:h:h:h:h') .. '/schemas/settings.schema.json'
end

--- The decoded schema, or nil when the plugin was copied without its repository.
function M.load_schema(path)
  path = path or M.schema_path()
  if vim.fn.filereadable(path) ~= 1 then
    return nil
  end
  return vim.fn.json_decode(table.concat(vim.fn.readfile(path), '\n'))
end

local function json_type(value)
  if value == vim.NIL then
    return 'null'
  end
  local t = type(value)
  if t == 'number' then
    return math.floor(value) == value and 'integer' or 'number'
  elseif t == 'table' then
    return (islist(value) and next(value) ~= nil) and 'array' or 'object'
  end
  return t -- string, boolean
end

local function type_allows(allowed, actual)
  if type(allowed) == 'string' then
    allowed = { allowed }
  end
  for _, t in ipairs(allowed) do
    if t == actual or (t == 'number' and actual == 'integer') then
      return true
    end
  end
  return false
end

--- Problems of `settings` (the table under section oci) against `schema`: unknown keys, wrong types, values
--- outside an enum. Returns a list of messages; empty means fine.
function M.check(settings, schema, prefix)
  prefix = prefix or 'oci'
  local problems = {}
  local properties = schema.properties or {}
  for key, value in pairs(settings) do
    local path = prefix .. '.' .. key
    local property = properties[key]
    if not property then
      table.insert(problems, path .. ': unknown setting')
    elseif property.type == 'object' then
      if type(value) ~= 'table' then
        table.insert(problems, path .. ': expected a table')
      else
        vim.list_extend(problems, M.check(value, property, path))
      end
    else
      local actual = json_type(value)
      if property.type and not type_allows(property.type, actual) then
        table.insert(problems, string.format('%s: expected %s, got %s', path, vim.inspect(property.type), actual))
      elseif property.enum and not vim.tbl_contains(property.enum, value) then
        table.insert(problems, string.format('%s: expected one of %s', path, table.concat(property.enum, ', ')))
      end
    end
  end
  table.sort(problems)
  return problems
end

--- A copy of settings that JSON-encodes as objects even where empty ({} would become []).
function M.as_json_object(settings)
  if type(settings) ~= 'table' then
    return settings
  end
  if next(settings) == nil then
    return vim.empty_dict()
  end
  local copy = {}
  for key, value in pairs(settings) do
    if type(value) == 'table' and (next(value) == nil or not islist(value)) then
      copy[key] = M.as_json_object(value)
    else
      copy[key] = value
    end
  end
  return copy
end

return M
