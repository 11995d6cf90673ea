-- Builds the workspace/executeCommand arguments of schemas/PROTOCOL.md (command-arguments.schema.json).
-- Pure functions over plain LSP shapes, so tests/unit.lua checks them without a server.
local M = {}

M.refine_commands = {
  generate = 'oci.generate',
  run_and_refine = 'oci.runAndRefine',
  fix_diagnostic = 'oci.fixDiagnostic',
  refine_selection = 'oci.refineSelection',
}

local function compare(a, b)
  if a.line ~= b.line then
    return a.line - b.line
  end
  return a.character - b.character
end

local function contains(range, position)
  return compare(range.start, position) <= 0 and compare(position, range['end']) <= 0
end

local function copy_range(range)
  return {
    start = { line = range.start.line, character = range.start.character },
    ['end'] = { line = range['end'].line, character = range['end'].character },
  }
end

local function width(range)
  return (range['end'].line - range.start.line) * 100000 + (range['end'].character - range.start.character)
end

--- The code of an LSP diagnostic as a string (codes may be numbers), or nil.
function M.code_text(code)
  if code == nil or code == vim.NIL then
    return nil
  end
  return tostring(code)
end

--- The diagnostic "Fix" is about: among those covering the position the most severe (LSP severity 1 = error),
--- then the narrowest; when none covers it, the most severe on the position's line.
--- @param diagnostics table[] LSP diagnostics ({ range, severity, code })
function M.diagnostic_at(diagnostics, position)
  local covering, on_line = {}, {}
  for _, d in ipairs(diagnostics) do
    if contains(d.range, position) then
      table.insert(covering, d)
    elseif d.range.start.line <= position.line and position.line <= d.range['end'].line then
      table.insert(on_line, d)
    end
  end
  local function by_severity(a, b)
    local sa, sb = a.severity or 1, b.severity or 1
    if sa ~= sb then
      return sa < sb
    end
    return width(a.range) < width(b.range)
  end
  table.sort(covering, by_severity)
  table.sort(on_line, by_severity)
  return covering[1] or on_line[1]
end

--- Adds the user's instruction; a blank one is an error, never sent.
function M.with_instruction(args, instruction)
  local text = instruction and vim.trim(instruction) or ''
  if text == '' then
    error('OCI: Refine selection needs an instruction', 0)
  end
  local copy = vim.deepcopy(args)
  copy.instruction = text
  return copy
end

--- True when oci.refineSelection (from a code action) still lacks the instruction the client must ask for.
function M.needs_instruction(command, args)
  if command ~= 'oci.refineSelection' then
    return false
  end
  local first = args and args[1]
  return first == nil or type(first.instruction) ~= 'string' or vim.trim(first.instruction) == ''
end

--- The single RefineCommandArguments of a refine command.
--- @param command string oci.generate | oci.runAndRefine | oci.fixDiagnostic | oci.refineSelection
--- @param state table { uri, version, range (LSP), diagnostics (LSP) }
--- @param instruction string|nil required for oci.refineSelection
function M.build(command, state, instruction)
  local args = {
    textDocument = { uri = state.uri, version = state.version },
    range = copy_range(state.range),
  }
  if command == 'oci.fixDiagnostic' then
    -- A diagnostic the editor knows of narrows the request to it; without one (no C# language server, or its
    -- diagnostics not in yet) the cursor range goes as it is and the server finds Roslyn's diagnostic there.
    local diagnostic = M.diagnostic_at(state.diagnostics or {}, state.range.start)
    if diagnostic then
      args.range = copy_range(diagnostic.range)
      args.diagnosticCode = M.code_text(diagnostic.code)
    end
  elseif command == 'oci.refineSelection' then
    return M.with_instruction(args, instruction)
  end
  return args
end

return M
