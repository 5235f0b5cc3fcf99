//! The review desk's suites, one test binary: each suite is a module named
//! as its binary was (`desk_api::…`, `desk_security::…`, as docs/desk.md
//! cites them). One binary lets their tests share the cores: most of them
//! wait on a `peitao serve` child, Chromium or schemathesis, and as four
//! binaries run one after another each left a core idle behind its longest
//! test (the four took 27 s of wall time for 27 s of CPU on 2 cores).

mod desk_common;

/// schemathesis against the API: the longest test, named to start first.
#[path = "desk/api_fuzzing.rs"]
mod api_fuzzing;

/// The desk through its HTTP interface, in process.
#[path = "desk/desk_api.rs"]
mod desk_api;

/// The desk in a real browser, through chromedriver.
#[path = "desk/desk_browser.rs"]
mod desk_browser;

/// Clients at once, and a server killed during uploads.
#[path = "desk/desk_load.rs"]
mod desk_load;

/// The desk's security, from outside: a `peitao serve` child attacked.
#[path = "desk/desk_security.rs"]
mod desk_security;
