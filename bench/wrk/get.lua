-- GET one address again and again (kiosk start, today's offers, board, queue, programme,
-- the floor's page); with BENCH_ETAG as a poller that has the fragment already.
package.path = os.getenv("BENCH_LUA_PATH") .. "/?.lua;" .. package.path
local common = require("common")
common.headers()
done = common.done
