-- One wrk script for every bench load; BENCH_MODE picks the request:
--   post      the same small JSON body every time (ceilings)
--   sandbox   a sandbox injection with a unique id (BENCH_KEY, BENCH_TAG mark it) from one of BENCH_CONTACTS
--             senders (1,000 unless told); its text "order status?", or the lines of BENCH_TEXTS in turn (each
--             escaped for a JSON string)
--   whatsapp  a signed WhatsApp notification read from BENCH_CORPUS (one "signature<TAB>body" per line,
--             each with its own message id; bench/run.py writes it)
--   send      message/send of a text to one of 1,000 recipients
--   get       GET of the path as given (session history)
-- done() prints one JSON line with the count, errors and latency percentiles (microseconds).
local mode = os.getenv("BENCH_MODE") or "post"
local key = os.getenv("BENCH_KEY") or ""
local tag = os.getenv("BENCH_TAG") or "t"
local corpus = os.getenv("BENCH_CORPUS")
local nthreads = tonumber(os.getenv("BENCH_THREADS") or "2")
local contacts = tonumber(os.getenv("BENCH_CONTACTS") or "1000")
local texts_file = os.getenv("BENCH_TEXTS")
local texts = {}
local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("tid", counter)
  table.insert(threads, thread)
end

local n = 0
local lines = {}
wrapped = 0

function init(args)
  wrk.headers["Content-Type"] = "application/json"
  if key ~= "" then wrk.headers["x-api-key"] = key end
  if mode == "get" then wrk.method = "GET" else wrk.method = "POST" end
  if mode == "post" then
    wrk.body = '{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"value":{"messages":[{"from":"16315551181","id":"wamid.x","text":{"body":"Hi"},"type":"text"}]},"field":"messages"}]}]}'
  end
  if texts_file then
    for line in io.lines(texts_file) do table.insert(texts, line) end
  end
  if mode == "whatsapp" then
    local i = 0
    for line in io.lines(corpus) do
      if i % nthreads == tid - 1 then table.insert(lines, line) end
      i = i + 1
    end
  end
end

function request()
  n = n + 1
  if mode == "sandbox" then
    local text = #texts > 0 and texts[(tid * 7919 + n) % #texts + 1] or "order status?"
    local body = string.format(
      '{"id":"%s-%d-%d","from":"+1555%07d","name":"Bench User","type":"text","text":{"body":"%s-%d-%d %s"}}',
      tag, tid, n, (tid * 7919 + n) % contacts, tag, tid, n, text)
    return wrk.format(nil, nil, nil, body)
  elseif mode == "whatsapp" then
    local line = lines[(n - 1) % #lines + 1]
    if n > #lines then wrapped = wrapped + 1 end
    local tab = string.find(line, "\t", 1, true)
    return wrk.format(nil, nil, { ["Content-Type"] = "application/json", ["X-Hub-Signature-256"] = string.sub(line, 1, tab - 1) },
      string.sub(line, tab + 1))
  elseif mode == "send" then
    local body = string.format(
      '{"channelId":"bench-wa","to":{"phone":"+1444%07d","name":"Bench"},"type":"text","text":{"body":"%s-%d-%d your order ships today"}}',
      (tid * 7919 + n) % 1000, tag, tid, n)
    return wrk.format(nil, nil, nil, body)
  end
  return wrk.format()
end

function done(summary, latency, requests)
  local reused = 0
  for _, t in ipairs(threads) do reused = reused + (t:get("wrapped") or 0) end
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests":%d,"duration_us":%d,"connect_errors":%d,"read_errors":%d,"write_errors":%d,"status_errors":%d,"timeouts":%d,"reused_bodies":%d,"p50_us":%d,"p99_us":%d,"p999_us":%d,"max_us":%d}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout, reused,
    latency:percentile(50), latency:percentile(99), latency:percentile(99.9), latency.max))
end
