//! `concur serve`: the mock API on its own, for trying it with curl or a program.
//!
//! In: a port (default: one the OS picks) and the server's behaviour (latency, failures,
//! rate limit). Out: the URL and routes printed, then one line per request until Ctrl-C.

use std::io::Write;
use std::time::Duration;

use anyhow::Context;

use crate::error::Result;
use concur_kit::api::{ApiConfig, MockApi};

use crate::cli::ServeArgs;

pub fn run(args: &ServeArgs, out: &mut dyn Write) -> Result<u8> {
    let config = ApiConfig {
        latency: Duration::from_millis(args.latency_ms),
        fail_every: args.fail_every,
        max_in_flight: args.max_in_flight,
        port: args.port,
        ..ApiConfig::default()
    };
    let api = MockApi::start(config).with_context(|| match args.port {
        0 => "starting the mock API".to_string(),
        p => format!("starting the mock API on port {p} (is the port taken?)"),
    })?;
    writeln!(out, "mock API listening on {}", api.url())?;
    writeln!(out, "\nroutes:")?;
    for (route, what) in MockApi::routes() {
        writeln!(out, "  {route:<32} {what}")?;
    }
    writeln!(
        out,
        "\nlatency {} ms{}{}; add ?latency_ms=N to any route to change it for one request.",
        args.latency_ms,
        args.fail_every
            .map(|n| format!(", every {n}th request answers 500"))
            .unwrap_or_default(),
        args.max_in_flight
            .map(|k| format!(", more than {k} in flight answer 429"))
            .unwrap_or_default(),
    )?;
    writeln!(
        out,
        "Try: curl {}/users/1    Programs read the address from CONCUR_API_URL.\nCtrl-C stops it.\n",
        api.url()
    )?;
    out.flush()?;
    api.set_request_logger(|record| {
        let mut stdout = anstream::stdout();
        let _ = writeln!(stdout, "{record}");
        let _ = stdout.flush();
    });
    api.serve_forever();
    Ok(crate::exit::OK)
}
