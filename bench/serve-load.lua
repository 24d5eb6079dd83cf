-- wrk script: counts non-2xx answers and torn pages (an HTML answer that is not
-- one whole page: no closing </html>, or not exactly one version marker).
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  torn = 0
  bad_status = 0
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    bad_status = bad_status + 1
    return
  end
  local _, markers = string.gsub(body, "This page was served under load %(", "")
  if not string.find(body, "</html>", 1, true) or markers ~= 1 then
    torn = torn + 1
  end
end

function done(summary, latency, requests)
  local t, b = 0, 0
  for _, thread in ipairs(threads) do
    t = t + thread:get("torn")
    b = b + thread:get("bad_status")
  end
  io.write(string.format("load: %d requests in %.1f s, %.0f requests/s\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6)))
  io.write(string.format("load: latency p50 %.2f ms, p99 %.2f ms, max %.2f ms\n",
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
  io.write(string.format("load: non-2xx %d, socket errors %d, torn pages %d\n",
    b + summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout, t))
end
