-- Neovim (0.7) as a second LSP client of the Readiness language server, headless:
--   nvim --headless --clean -u test/e2e/nvim/init.lua
-- Environment:
--   READINESS_NODE    the node binary          READINESS_SERVER  dist/server.js
--   READINESS_ROOT    the workspace folder     READINESS_FILES   files to open, relative, one per line
--   READINESS_OUT     where to write the result as JSON
--   READINESS_TIMEOUT_MS  how long to wait for diagnostics (default 30000)
-- Starts the server over stdio (vim.lsp.start_client), opens each file and attaches the client
-- to its buffer (vim.lsp.buf_attach_client), waits until every buffer has diagnostics
-- (vim.wait with a condition) and writes them, as vim.diagnostic.get returns them, to
-- READINESS_OUT: { files = { [file] = { diagnostics } }, serverExit = { code, signal } } or
-- { error = text }.
-- Exits 0 when it wrote a result, 1 on error.

local out = assert(os.getenv('READINESS_OUT'), 'READINESS_OUT is not set')

local function write(result)
  vim.fn.writefile({ vim.fn.json_encode(result) }, out)
end

local function run()
  local node = os.getenv('READINESS_NODE') or 'node'
  local server = assert(os.getenv('READINESS_SERVER'), 'READINESS_SERVER is not set')
  local root = assert(os.getenv('READINESS_ROOT'), 'READINESS_ROOT is not set')
  local files = vim.split(assert(os.getenv('READINESS_FILES'), 'READINESS_FILES is not set'), '\n', { trimempty = true })
  local timeout = tonumber(os.getenv('READINESS_TIMEOUT_MS') or '30000')

  local exited = nil
  local client_id = vim.lsp.start_client({
    name = 'readiness',
    cmd = { node, server, '--stdio' },
    root_dir = root,
    workspace_folders = { { uri = vim.uri_from_fname(root), name = vim.fn.fnamemodify(root, ':t') } },
    on_exit = function(code, signal)
      exited = { code = code, signal = signal }
    end,
  })
  assert(client_id, 'vim.lsp.start_client did not start the server')

  local buffers = {}
  for _, file in ipairs(files) do
    vim.cmd('edit ' .. vim.fn.fnameescape(root .. '/' .. file))
    local bufnr = vim.api.nvim_get_current_buf()
    assert(vim.lsp.buf_attach_client(bufnr, client_id), 'could not attach the client to ' .. file)
    buffers[file] = bufnr
  end

  local function all_have_diagnostics()
    if exited then
      return true
    end
    for _, bufnr in pairs(buffers) do
      if #vim.diagnostic.get(bufnr) == 0 then
        return false
      end
    end
    return true
  end
  local ok = vim.wait(timeout, all_have_diagnostics, 20)
  if exited then
    error(string.format('the server exited (code %s, signal %s)', tostring(exited.code), tostring(exited.signal)))
  end
  if not ok then
    error(string.format('no diagnostics for every file within %d ms', timeout))
  end

  -- vim.diagnostic columns are byte offsets; LSP (and the CLI) count UTF-16 code units.
  local function utf16(bufnr, lnum, col)
    local line = vim.api.nvim_buf_get_lines(bufnr, lnum, lnum + 1, false)[1] or ''
    local _, units = vim.str_utfindex(line, math.min(col, #line))
    return units
  end

  local result = { files = {} }
  for file, bufnr in pairs(buffers) do
    local list = {}
    for _, d in ipairs(vim.diagnostic.get(bufnr)) do
      table.insert(list, {
        code = d.code,
        source = d.source,
        severity = d.severity,
        message = d.message,
        lnum = d.lnum,
        col = d.col,
        end_lnum = d.end_lnum,
        end_col = d.end_col,
        character = utf16(bufnr, d.lnum, d.col),
        end_character = utf16(bufnr, d.end_lnum, d.end_col),
        href = d.user_data and d.user_data.lsp and d.user_data.lsp.codeDescription and d.user_data.lsp.codeDescription.href or vim.NIL,
      })
    end
    result.files[file] = list
  end
  vim.lsp.stop_client(client_id)
  vim.wait(5000, function()
    return exited ~= nil
  end, 20)
  result.serverExit = exited or vim.NIL
  return result
end

local ok, result = pcall(run)
if ok then
  write(result)
  vim.cmd('qall!')
else
  write({ error = tostring(result) })
  vim.cmd('cquit 1')
end
