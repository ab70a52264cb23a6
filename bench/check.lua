-- wrk script: POST /v1/check with 280-character posts, every request a different post.
--
-- BENCH_POSTS names a file of 272-character posts, one JSON-escaped (ASCII) string a line;
-- each request takes the next and ends it with " #" and a seven-letter tag unique to the
-- request (BENCH_OFFSET, different for every run, keeps runs apart), so no two requests send
-- the same text and no cache answers for the checker. BENCH_KEY, when set, is sent as the API
-- key; BENCH_PLATFORM, when set, as the post's platform. BENCH_DELAY_MS, when set, makes each
-- connection wait that long after an answer before its next request (a paced load, as in
-- `make soak`). done() prints one BENCH_JSON line of figures.

local posts = {}
local counter = tonumber(os.getenv("BENCH_OFFSET") or "0")
local thread_letter = "a"
local headers = { ["Content-Type"] = "application/json" }
local letters = "abcdefghijklmnopqrstuvwxyz"
local threads = 0
local platform = os.getenv("BENCH_PLATFORM") or ""
local pause = tonumber(os.getenv("BENCH_DELAY_MS") or "")

if pause ~= nil then
  function delay()
    return pause
  end
end

function setup(thread)
  thread:set("thread_number", threads)
  threads = threads + 1
end

function init(args)
  for line in io.lines(os.getenv("BENCH_POSTS")) do
    posts[#posts + 1] = line
  end
  local key = os.getenv("BENCH_KEY")
  if key ~= nil and key ~= "" then
    headers["Authorization"] = "Bearer " .. key
  end
  local n = (thread_number or 0) % 26
  thread_letter = letters:sub(n + 1, n + 1)
end

local function tag(n)
  local out = thread_letter
  for _ = 1, 6 do
    local digit = n % 26
    out = out .. letters:sub(digit + 1, digit + 1)
    n = (n - digit) / 26
  end
  return out
end

function request()
  counter = counter + 1
  local post = posts[(counter % #posts) + 1]
  local body = '{"text": "' .. post .. " #" .. tag(counter) .. '"'
  if platform ~= "" then
    body = body .. ', "platform": "' .. platform .. '"'
  end
  return wrk.format("POST", "/v1/check", headers, body .. "}")
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "connect_errors": %d, "read_errors": %d, '
      .. '"write_errors": %d, "status_errors": %d, "timeouts": %d, "p50_us": %d, "p90_us": %d, '
      .. '"p99_us": %d, "max_us": %d, "mean_us": %.1f}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean
  ))
end
