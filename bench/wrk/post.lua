-- POST a form again and again, each request with a token of its own (the kiosk's
-- one-time token; the floor ignores it). BENCH_BODY holds the form with "%s" where the
-- token goes.
package.path = os.getenv("BENCH_LUA_PATH") .. "/?.lua;" .. package.path
local common = require("common")

local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("thread_number", threads)
end

local sent = 0
local body = os.getenv("BENCH_BODY")

function init(args)
  common.headers()
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  -- BENCH_RUN differs for every wrk run, so no run resends another run's tokens.
  prefix = string.format("bench%s%02d", os.getenv("BENCH_RUN") or "", thread_number or 0)
end

function request()
  sent = sent + 1
  return wrk.format(nil, nil, nil, string.format(body, prefix .. "n" .. sent))
end

done = common.done
