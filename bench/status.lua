-- wrk script: counts answers by status; with env REQUEST=token, POSTs the client credentials form
-- (TOKEN_CLIENT_ID, TOKEN_CLIENT_SECRET, or the whole form in FORM); else GETs with BEARER as the token.
-- DELAY_MS paces each connection.
local threads = {}
local form = os.getenv("FORM") or ("grant_type=client_credentials&client_id=" .. (os.getenv("TOKEN_CLIENT_ID") or "") ..
  "&client_secret=" .. (os.getenv("TOKEN_CLIENT_SECRET") or "") .. "&scope=read")
local delay_ms = tonumber(os.getenv("DELAY_MS") or "0")
function setup(thread) table.insert(threads, thread) end
function init(args)
  counts = {}
  if os.getenv("REQUEST") == "token" then
    req = wrk.format("POST", nil, { ["Content-Type"] = "application/x-www-form-urlencoded" }, form)
  else
    req = wrk.format("GET", nil, { ["Authorization"] = "Bearer " .. (os.getenv("BEARER") or "") }, nil)
  end
end
function request() return req end
function delay() return delay_ms end
function response(status, headers, body)
  counts[status] = (counts[status] or 0) + 1
end
function done(summary, latency, requests)
  local total = {}
  for _, t in ipairs(threads) do
    local c = t:get("counts")
    for status, n in pairs(c) do total[status] = (total[status] or 0) + n end
  end
  local parts = {}
  for status, n in pairs(total) do table.insert(parts, status .. "=" .. n) end
  table.sort(parts)
  io.write(string.format("STATUS requests=%d %s sock_errors=%d p50_ms=%.2f p99_ms=%.2f max_ms=%.1f\n", summary.requests,
    table.concat(parts, " "), summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
