//! Overload and faults, against the real server binary.
//!
//! Each test loads the demo office into its own data directory (a private
//! PostgreSQL cluster on a unix socket), starts `cppcc-perf serve` on a free
//! port of 127.0.0.1, and then breaks something:
//!
//! - `overload`: more requests at once than MAX_CONCURRENT_REQUESTS: the
//!   excess is refused with 503 at once, on every route, and service resumes.
//! - `database_down`: the cluster stopped for ten seconds under a running
//!   server: pages answer 503 within three seconds, `/readyz` says not ready,
//!   and pages answer 200 again once the cluster is back, without a restart.
//! - `pool_exhaustion`: every pooled connection stuck behind a table lock:
//!   further requests get 503 after the acquire timeout, then all is well.
//! - `crash`: `kill -9` in the middle of a burst of writes: after a restart on
//!   the same data directory every acknowledged write is there, every written
//!   row has its audit row and every audit row its row, and the app serves.
//! - `deployment`: the binary copied alone to an empty directory serves its
//!   pages with their CSS and scripts; as root, a data directory the
//!   `postgres` user cannot enter still gets its cluster.
//! - `database_killed`: the embedded cluster's postmaster killed with
//!   SIGKILL: the server restarts it and serves again with the same sessions
//!   and every acknowledged write; a cluster that cannot come back makes the
//!   server exit with a failure.
//! - `logs`: no colour codes in a log file; `LOG_FORMAT=json` gives one JSON
//!   object a line.
//! - `two_instances`: a second server on the first one's database: sessions
//!   carry over, and of two simultaneous approvals of one plan exactly one wins.
//!
//! The suite is bounded: the tests run one at a time, each within
//! `support::TEST_TIMEOUT`, with request counts in the tens; the whole binary
//! takes about 35 s on two cores. It talks to loopback only, and it stops by itself:
//! guards kill the servers (SIGKILL) and stop the clusters when a test ends,
//! fails or times out. It needs the PostgreSQL server binaries (as the app's
//! embedded cluster does); run it with `cargo test --test faults -- --nocapture`
//! to see the measured times.

mod crash;
mod database_down;
mod database_killed;
mod deployment;
mod logs;
mod overload;
mod pool_exhaustion;
mod support;
mod two_instances;
