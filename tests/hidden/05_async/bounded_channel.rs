//! Hidden checks for `05_async/bounded_channel`.
//!
//! The `fetch` and `save` handed to `download_and_save` are made by the check. The paths
//! (distinct random pages, in no order), how many, the capacity and the latencies are drawn per
//! run (`Inputs`); every page fetched carries a token only this run knows (`Inputs::salt`), so
//! a page cannot be made up from its path, and every save is tied to the page it got. Each
//! fetch and each save is a span (on the row "fetch" or "save") from its first poll to its end;
//! every check asserts that each path was fetched once and each page saved once
//! (`assert_each_once`), all inside the call (`assert_inside`).
//!
//! How far the fetcher ran ahead is measured from those spans alone, never from anything the
//! learner's code reports: at every moment, the pages whose fetch had ended and whose save had
//! not yet started. It only grows when a fetch ends, so its largest value is seen at the end of
//! some fetch. Through a channel of capacity C it is at most C + 1 (C in the channel, one in
//! the producer's hands waiting to be sent).
//!
//! - `every_page_is_saved_once_in_order`: the pages saved are the pages fetched, each once, in
//!   the order of the paths, and the count returned is theirs.
//! - `fetching_and_saving_overlap`: fetching and saving take about as long as each other; some
//!   page is fetched while another is saved, and the whole takes well under the sequential
//!   cost (halfway between a perfect pipeline and one page after another). Bitten by
//!   `fetch_all_first` (the starting file), `fetch_all_then_send` (the producer task fetches
//!   everything before its first send) and `no_task` (fetch, save, fetch, save in one loop).
//! - `the_fetcher_never_gets_more_than_capacity_ahead`: fast fetches, slow saves, capacity 2
//!   or 3: never more than C + 1 pages fetched and not yet being saved. Bitten by
//!   `unbounded`, `big_buffer` (a channel of `paths.len()`), `fetch_all_first` and
//!   `fetch_all_then_send`.
//! - `the_fetcher_gets_ahead_while_saving_is_slow`: fast fetches, slow saves, capacity 4 to 6:
//!   the fetcher really does get C − 1 pages or more ahead at some moment, which a channel of
//!   `capacity` allows and a fixed small channel does not. Bitten by `capacity_one` (a channel
//!   of 1 whatever `capacity` says) and `no_task`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use concur_kit::call::{call_async, Called};
use concur_kit::check::{assert_each_once, assert_inside, assert_wall_below};
use concur_kit::publish::picture;
use concur_kit::row::Row;
use concur_kit::seed::Inputs;
use concur_kit::timeline::fmt_duration;
use concur_kit::trace::{Span, Trace};

use crate::exercise::download_and_save;

/// A call that has not returned by then is stuck; the run's own limit is 10 s.
const DEADLINE: Duration = Duration::from_secs(5);

/// One run's inputs: the paths in the order given, the page each fetch answers, latencies.
struct Plan {
    paths: Vec<String>,
    pages: HashMap<String, String>,
    capacity: usize,
    fetch: Duration,
    save: Duration,
}

impl Plan {
    fn new(inputs: &mut Inputs, n: usize, capacity: usize, fetch: u64, save: u64) -> Plan {
        let paths: Vec<String> =
            inputs.distinct(n, 1, 99_999).into_iter().map(|id| format!("/pages/{id}")).collect();
        let pages = paths
            .iter()
            .enumerate()
            .map(|(i, path)| {
                let page = format!("<html>{path} rev {:016x}</html>", inputs.salt(i as u64));
                (path.clone(), page)
            })
            .collect();
        Plan {
            paths,
            pages,
            capacity,
            fetch: Duration::from_millis(fetch),
            save: Duration::from_millis(save),
        }
    }

    fn expected_pages(&self) -> Vec<String> {
        self.paths.iter().map(|p| self.pages[p].clone()).collect()
    }

    fn save_label(path: &str) -> String {
        format!("save {path}")
    }

    fn what(&self) -> String {
        format!(
            "download_and_save of {} pages through a channel of capacity {} (fetching a page \
             takes {}, saving one {})",
            self.paths.len(),
            self.capacity,
            fmt_duration(self.fetch),
            fmt_duration(self.save)
        )
    }

    /// One page after another: every fetch and every save in turn.
    fn sequential(&self) -> Duration {
        (self.fetch + self.save) * self.paths.len() as u32
    }

    /// A perfect pipeline: saving waits only for its page and for the previous save.
    fn ideal(&self) -> Duration {
        let (mut fetched, mut saved) = (Duration::ZERO, Duration::ZERO);
        for _ in &self.paths {
            fetched += self.fetch;
            saved = saved.max(fetched) + self.save;
        }
        saved
    }
}

struct Run {
    called: Called<usize>,
    /// The pages `save` got, in the order their saves ended.
    saved: Vec<String>,
    trace: Trace,
}

impl Run {
    fn spans(&self, row: &str) -> Vec<Span> {
        self.trace.spans().into_iter().filter(|s| s.thread == row).collect()
    }

    /// The most pages fetched and not yet being saved at one moment, and when (µs into the
    /// call). A save is tied to its page by the page's own text.
    fn most_ahead(&self) -> (usize, u64) {
        let fetches = self.spans("fetch");
        let save_start: HashMap<String, u64> = self
            .spans("save")
            .into_iter()
            .map(|s| (s.label.trim_start_matches("save ").to_string(), s.start_us))
            .collect();
        fetches
            .iter()
            .map(|f| {
                let t = f.end_us;
                let ahead = fetches
                    .iter()
                    .filter(|g| g.end_us <= t)
                    .filter(|g| save_start.get(&g.label).is_none_or(|&s| s > t))
                    .count();
                (ahead, t.saturating_sub(self.called.start_us))
            })
            .max_by_key(|&(ahead, _)| ahead)
            .unwrap_or((0, 0))
    }
}

/// Runs `download_and_save` on `plan` and checks what every check checks: each path fetched
/// once, each page saved once, all inside the call.
async fn run(plan: &Plan) -> Run {
    let trace = Trace::new();
    let saved = Arc::new(Mutex::new(Vec::new()));
    let fetch = {
        let trace = trace.clone();
        let pages = Arc::new(plan.pages.clone());
        let latency = plan.fetch;
        move |path: String| {
            let trace = trace.clone();
            let page = pages.get(&path).cloned().unwrap_or_else(|| format!("404 {path}"));
            async move {
                let _row = Row::on(&trace, "fetch", &path);
                tokio::time::sleep(latency).await;
                page
            }
        }
    };
    let save = {
        let trace = trace.clone();
        let saved = Arc::clone(&saved);
        let paths: Arc<HashMap<String, String>> =
            Arc::new(plan.pages.iter().map(|(path, page)| (page.clone(), path.clone())).collect());
        let latency = plan.save;
        move |page: String| {
            let trace = trace.clone();
            let saved = Arc::clone(&saved);
            let label = match paths.get(&page) {
                Some(path) => Plan::save_label(path),
                None => format!("save of a page never fetched: {page:?}"),
            };
            async move {
                let _row = Row::on(&trace, "save", &label);
                tokio::time::sleep(latency).await;
                saved.lock().unwrap_or_else(|e| e.into_inner()).push(page);
            }
        }
    };
    let called = call_async(
        &plan.what(),
        DEADLINE,
        download_and_save(plan.paths.clone(), plan.capacity, fetch, save),
    )
    .await;
    let saved = saved.lock().unwrap_or_else(|e| e.into_inner()).clone();
    let run = Run { called, saved, trace };
    assert_each_once(&Trace::from_spans(run.spans("fetch")), &plan.paths, "fetches");
    let saves: Vec<String> = plan.paths.iter().map(|p| Plan::save_label(p)).collect();
    assert_each_once(&Trace::from_spans(run.spans("save")), &saves, "saves");
    assert_inside(&run.trace, &run.called, "fetches and saves", "download_and_save");
    run
}

#[test]
async fn every_page_is_saved_once_in_order() {
    let mut inputs = Inputs::new();
    let n = inputs.between(4, 7) as usize;
    let capacity = inputs.between(1, 3) as usize;
    let (fetch, save) = (inputs.between(10, 30), inputs.between(20, 40));
    let plan = Plan::new(&mut inputs, n, capacity, fetch, save);
    let run = run(&plan).await;
    assert_eq!(
        run.saved,
        plan.expected_pages(),
        "{}: every fetched page must be saved once, in the order of the paths (left: the \
         pages saved, in the order their saves ended; right: the pages fetched, in the order \
         of the paths)",
        plan.what()
    );
    assert_eq!(
        run.called.value,
        n,
        "{}: {n} pages were saved, but download_and_save returned {}",
        plan.what(),
        run.called.value
    );
}

#[test]
async fn fetching_and_saving_overlap() {
    let mut inputs = Inputs::new();
    let n = inputs.between(8, 10) as usize;
    let capacity = inputs.between(1, 3) as usize;
    let (fetch, save) = (inputs.between(70, 85), inputs.between(75, 90));
    let plan = Plan::new(&mut inputs, n, capacity, fetch, save);
    let run = run(&plan).await;
    let (fetches, saves) = (run.spans("fetch"), run.spans("save"));
    let overlapping = fetches
        .iter()
        .any(|f| saves.iter().any(|s| s.start_us < f.end_us && f.start_us < s.end_us));
    if !overlapping {
        panic!(
            "{}: no page was being fetched while another was being saved: the {n} fetches and \
             the {n} saves ran one after another ({} in all). The saving should start as soon \
             as the first page has arrived, while the next ones are fetched.{}",
            plan.what(),
            fmt_duration(run.called.elapsed()),
            picture(&run.trace, "fetches and saves")
        );
    }
    let bound = plan.ideal() + plan.sequential().saturating_sub(plan.ideal()) / 2;
    assert_wall_below(run.called.elapsed(), bound, plan.sequential(), &plan.what());
}

#[test]
async fn the_fetcher_never_gets_more_than_capacity_ahead() {
    let mut inputs = Inputs::new();
    let n = inputs.between(9, 12) as usize;
    let capacity = inputs.between(2, 3) as usize;
    let (fetch, save) = (inputs.between(10, 20), inputs.between(70, 90));
    let plan = Plan::new(&mut inputs, n, capacity, fetch, save);
    let run = run(&plan).await;
    let (ahead, at) = run.most_ahead();
    let allowed = capacity + 1;
    if ahead > allowed {
        panic!(
            "{}: {} into the call, {ahead} fetched pages were waiting for their save to start \
             (counted from the fetches and saves themselves); through a channel of capacity \
             {capacity} the fetcher can be at most {allowed} ahead ({capacity} in the channel, \
             one waiting to be sent). Is the channel bounded by `capacity`, and does the \
             fetcher wait in `send` when it is full before it fetches the next page?{}",
            plan.what(),
            fmt_duration(Duration::from_micros(at)),
            picture(&run.trace, "fetches and saves")
        );
    }
}

#[test]
async fn the_fetcher_gets_ahead_while_saving_is_slow() {
    let mut inputs = Inputs::new();
    let capacity = inputs.between(4, 6) as usize;
    let n = capacity + inputs.between(4, 6) as usize;
    let (fetch, save) = (inputs.between(8, 15), inputs.between(70, 90));
    let plan = Plan::new(&mut inputs, n, capacity, fetch, save);
    let run = run(&plan).await;
    let (ahead, _) = run.most_ahead();
    let wanted = capacity - 1;
    if ahead < wanted {
        panic!(
            "{}: fetching is far quicker than saving, yet the fetcher was never more than \
             {ahead} page(s) ahead of the saving: a channel of capacity {capacity} holds \
             {capacity} pages, so the fetcher can get {capacity} ahead before `send` makes it \
             wait. Is the channel made with `capacity`, and do the two loops run at the same \
             time?{}",
            plan.what(),
            picture(&run.trace, "fetches and saves")
        );
    }
}
