"""Every tunable default in one place, each with its meaning and unit."""

from postlink.resources import CONFIG_DIR as CONFIG_DIR  # the configuration folder

#: Folder for the embedded SQLite database, rendered reports and local state (relative to cwd).
DATA_DIR = "var"

#: Time zone of the province: dates in codes and on forms are Vietnam dates (UTC+7).
TIMEZONE = "Asia/Ho_Chi_Minh"

#: Where the built-in postal sandbox listens; the default postal base URL points at it.
SANDBOX_HOST = "127.0.0.1"
SANDBOX_PORT = 8765
SANDBOX_URL = f"http://{SANDBOX_HOST}:{SANDBOX_PORT}"

#: Seconds to establish a connection to the postal API.
POSTAL_CONNECT_TIMEOUT = 5.0
#: Seconds to wait for the postal API's answer once connected.
POSTAL_READ_TIMEOUT = 30.0
#: Seconds an idempotent postal read may spend in retries (backoff included) before failing.
POSTAL_RETRY_BUDGET = 60.0

#: Days of order updates the first change-feed pass reads, before any cursor is stored.
POSTAL_FEED_LOOKBACK_DAYS = 30
#: Days each change-feed pass re-reads before the previous pass began: the MyVNPost window has
#: date granularity, so consecutive windows must overlap (postal brief §1).
POSTAL_FEED_OVERLAP_DAYS = 1
#: Orders per change-feed page; MyVNPost's GetListOrder accepts at most 500.
POSTAL_FEED_PAGE_SIZE = 500
#: Change-feed pages fetched and waiting to be read while the reader parses and applies one:
#: the post is asked for each page as soon as the previous one came back, so it never waits
#: on postlink's parsing, and memory stays bounded.
POSTAL_FEED_PAGES_AHEAD = 2
#: Feed records whose reading is kept to reuse when they come back unchanged: above the
#: overlap window of a busy province (2 days of 2,000 orders), a few MB of orders.
POSTAL_FEED_RECORDS_KEPT = 5_000
#: Seconds of the first retry delay; each later one doubles, with jitter, up to the maximum.
POSTAL_BACKOFF_BASE = 0.5
#: Seconds a single retry delay may last, Retry-After included.
POSTAL_BACKOFF_MAX = 30.0
#: Times an order creation is attempted (each after checking the order is still absent).
POSTAL_CREATE_ATTEMPTS = 3
#: Times a call refused with 401/403, by a token no call had succeeded with, is replayed
#: with a new one (postal/tokens.py). Once is enough for an expired token; the second covers
#: a login racing another. A third such refusal means the account lacks the right.
POSTAL_TOKEN_REPLAYS = 2
#: Times one call is replayed after its token, which had worked, lapsed meanwhile (other
#: threads share the token, so it may lapse again under a call): beyond, the account is
#: assumed to be logged in elsewhere, which cancels postlink's tokens.
POSTAL_TOKEN_LAPSES = 10
#: Minutes a postal webhook's sendDate may lie in the past, and in the future (the two
#: clocks' skew), before the body is refused as stale (issue 11 §3). Receipts of accepted
#: webhooks are kept as long, so a replay inside the window is refused as a replay.
POSTAL_WEBHOOK_MAX_AGE_MINUTES = 10
POSTAL_WEBHOOK_MAX_AHEAD_MINUTES = 2
#: Bytes of a webhook body the receiver reads; MyVNPost's batches are far smaller.
POSTAL_WEBHOOK_MAX_BYTES = 1024 * 1024
#: Requests a second postlink may send to the post, all threads together; 0 means no cap
#: (the built-in sandbox needs none).
POSTAL_MAX_RPS = 0.0
#: Characters of a request or response body kept in the exchange log.
EXCHANGE_BODY_MAX_CHARS = 16_000

#: Days the redacted postal exchange log is kept (postal brief §4).
EXCHANGE_LOG_RETENTION_DAYS = 90
#: Days the post's bodies (exchange log, quarantine) keep their personal data before it is
#: masked in place (Law 91/2025/QH15 on personal data protection; issue 13 §5).
RAW_BODY_RETENTION_DAYS = 30
#: Years the legal records (legs, events, handovers, audit) are kept: TT 17/2017 art. 14
#: keeps electronic records at least five years, so this is the default and the floor.
RECORD_RETENTION_YEARS = 5

#: Milliseconds SQLite waits on a locked database before failing a statement.
SQLITE_BUSY_TIMEOUT_MS = 10_000
#: Connections a process keeps open. A web worker serves up to about 20 requests at once;
#: with fewer, every busy moment opened and closed connections, and a new PostgreSQL
#: connection (a forked backend warming its caches) costs more than the query it serves.
DATABASE_POOL_SIZE = 20
#: Connections a process may open beyond the pool when busier still (closed after use).
DATABASE_POOL_OVERFLOW = 10

#: The J + n route table and working-day calendar (TT 17/2017 art. 7).
DEADLINES_FILE = CONFIG_DIR / "deadlines.toml"
#: The province's route table: communes, route areas, offices, the rows' n (TT 17/2017
#: art. 7). Sample data for Cao Bằng, to be confirmed by the province.
ROUTES_FILE = CONFIG_DIR / "routes" / "cao-bang.toml"

#: MyVNPost status codes and their normalised postlink status (postal brief §3).
MYVNPOST_STATUS_FILE = CONFIG_DIR / "postal" / "myvnpost-status.toml"

#: The postal sandbox's default world: random seed, number of orders and days they span.
SANDBOX_SEED = 1
SANDBOX_ORDERS = 2_000
SANDBOX_SPAN_DAYS = 60

#: Seconds between the sync jobs' runs: change-feed pull, outbox push, overdue check and
#: housekeeping (exchange-log retention, masking of old raw bodies).
PULL_INTERVAL = 60
PUSH_INTERVAL = 30
DEADLINES_INTERVAL = 900
HOUSEKEEPING_INTERVAL = 86_400
#: Seconds a job lease survives without a heartbeat; a crashed worker's jobs wait this long.
LEASE_TTL = 60
#: Outbox sends: attempts before "failed", and the first retry delay in seconds (doubling,
#: capped at OUTBOX_BACKOFF_CAP).
OUTBOX_MAX_ATTEMPTS = 8
OUTBOX_BACKOFF = 30.0
OUTBOX_BACKOFF_CAP = 3600.0
#: Seconds a scheduled run may start late (server paused, long previous run) and still run.
MISFIRE_GRACE = 3600

#: Where ``postlink serve`` listens by default: loopback, behind the province's reverse proxy.
WEB_HOST = "127.0.0.1"
WEB_PORT = 8000
#: Server processes ``postlink serve`` runs: one per core of a small province server. Each
#: renders pages on its own core; sessions (signed cookies) and login throttling (the
#: database) are shared, so any process may answer any request.
WEB_WORKERS = 2
#: Hours a web console login lasts before staff must sign in again (one working day).
WEB_SESSION_HOURS = 12
#: Largest list file an admin may upload, in bytes (a province list is well under 1 MiB).
WEB_UPLOAD_MAX_BYTES = 10 * 1024 * 1024
#: Days of J dates the worker's daily delivery and exclusions reports cover, ending today.
DAILY_REPORT_DAYS = 30
#: Seconds between renders of the daily report set (each render replaces today's files).
REPORTS_INTERVAL = 3600
