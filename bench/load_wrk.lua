-- wrk script of the load benchmark: POST surveys and complaints (or the bare endpoint) with a
-- synthetic client address per request, and count the replies by status class.
local mode = os.getenv("BENCH_MODE") or "mixed"
local services = {}
for code in string.gmatch(os.getenv("BENCH_SERVICES") or "ktp-el", "[^,]+") do
  services[#services + 1] = code
end
local counts = {}
local threads = {}

function setup(thread)
  thread:set("id", #threads + 1)
  threads[#threads + 1] = thread
end

function init(args)
  math.randomseed(os.time() * 1000 + id)
  ok, client_err, server_err, limited = 0, 0, 0, 0
end

local function answers()
  local parts = {}
  for _, code in ipairs({"persyaratan", "prosedur", "waktu", "biaya", "produk", "kompetensi",
                         "perilaku", "pengaduan", "sarana"}) do
    parts[#parts + 1] = string.format('"%s": %d', code, math.random(1, 4))
  end
  return "{" .. table.concat(parts, ", ") .. "}"
end

request = function()
  local ip = string.format("10.%d.%d.%d", math.random(0, 255), math.random(0, 255),
                           math.random(1, 254))
  local headers = {["Content-Type"] = "application/json", ["X-Forwarded-For"] = ip}
  local service = services[math.random(1, #services)]
  if mode == "bare" then
    return wrk.format("POST", "/bench/bare", headers, '{"service_code": "' .. service .. '"}')
  end
  if mode == "survey" or (mode == "mixed" and math.random() < 0.7) then
    local body = '{"service_code": "' .. service .. '", "answers": ' .. answers() ..
                 ', "comment": "Pelayanan <b>cepat</b>", "gender": "P", "education": "sma"}'
    return wrk.format("POST", "/api/v1/surveys", headers, body)
  end
  local body = '{"category": "lambat", "description": "Antrean lama sekali di loket", ' ..
               '"service_code": "' .. service .. '", "anonymous": true}'
  return wrk.format("POST", "/api/v1/complaints", headers, body)
end

response = function(status, headers, body)
  if status >= 200 and status < 300 then ok = ok + 1
  elseif status == 429 then limited = limited + 1
  elseif status < 500 then client_err = client_err + 1
  else server_err = server_err + 1 end
end

done = function(summary, latency, requests)
  local t = {ok = 0, client_err = 0, server_err = 0, limited = 0}
  for _, thread in ipairs(threads) do
    for k, _ in pairs(t) do t[k] = t[k] + thread:get(k) end
  end
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "ok": %d, "client_err": %d, ' ..
    '"server_err": %d, "limited": %d, "socket_errors": %d, "p50_us": %d, "p90_us": %d, ' ..
    '"p99_us": %d, "max_us": %d}\n',
    summary.requests, summary.duration, t.ok, t.client_err, t.server_err, t.limited,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
