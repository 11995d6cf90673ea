-- A tiny test harness for headless Neovim 0.7+: test(name, fn), then finish() prints
-- "N passed, N failed" and exits non-zero on any failure.
local H = { passed = 0, failed = 0 }

function H.test(name, fn)
  local ok, err = xpcall(fn, debug.traceback)
  if ok then
    H.passed = H.passed + 1
    io.stdout:write('ok - ' .. name .. '\n')
  else
    H.failed = H.failed + 1
    io.stdout:write('not ok - ' .. name .. '\n' .. tostring(err) .. '\n')
  end
end

function H.eq(expected, actual, what)
  if not vim.deep_equal(expected, actual) then
    error(string.format('%s: expected %s, got %s', what or 'value', vim.inspect(expected), vim.inspect(actual)), 2)
  end
end

function H.truthy(value, what)
  if not value then
    error((what or 'condition') .. ' is false', 2)
  end
end

function H.finish()
  io.stdout:write(string.format('%d passed, %d failed\n', H.passed, H.failed))
  io.stdout:flush()
  vim.cmd((H.failed == 0 and H.passed > 0) and 'qall!' or 'cquit! 1')
end

return H
