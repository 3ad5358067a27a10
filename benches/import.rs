//! Import speed: our whole import (guards, sparse read, findings, metrics,
//! fingerprint) against calamine's bare read of the same sheets, side by
//! side in one release run, on the stress plan (212 CCGs, 3,000 services,
//! 10,000 risks, seven 4,000-word narrative sections).
//!
//! Run with `cargo bench --bench import`. The target is a ratio of at most
//! 1.5. The two are timed alternately, so both meet the same load on the
//! machine, and the fastest and median of each are printed, not asserted:
//! timing belongs here, not in tests.

use calamine::{Reader, Xlsx};
use std::io::Cursor;
use std::time::{Duration, Instant};

const RUNS: usize = 30;

fn timed(f: &mut impl FnMut()) -> Duration {
    let t = Instant::now();
    f();
    t.elapsed()
}

/// Prints and returns the fastest and median times in milliseconds.
fn report(what: &str, mut times: Vec<Duration>) -> (f64, f64) {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let (fastest, median) = (ms(times[0]), ms(times[times.len() / 2]));
    println!("{what}: fastest {fastest:.1} ms, median {median:.1} ms");
    (fastest, median)
}

fn main() {
    let bytes = csu_assess::examples::stress_plan().expect("stress plan written");
    let mut bare = || {
        let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes.as_slice())).expect("opens");
        let mut cells = 0usize;
        for name in book.sheet_names() {
            cells += book.worksheet_range(&name).expect("sheet").used_cells().count();
        }
        std::hint::black_box(cells);
    };
    let mut read = || {
        let format = csu_assess::plan::guard::inspect_container(&bytes).expect("accepted");
        let book = csu_assess::plan::workbook::read(&bytes, format).expect("read");
        std::hint::black_box(book.sheets.len());
    };
    let mut ours = || {
        let plan = csu_assess::plan::import_bytes("stress-plan.xlsx", &bytes).expect("imports");
        std::hint::black_box(plan.metrics.0.len());
    };
    let (mut t_bare, mut t_read, mut t_ours) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..RUNS {
        t_bare.push(timed(&mut bare));
        t_read.push(timed(&mut read));
        t_ours.push(timed(&mut ours));
    }
    let plan = csu_assess::plan::import_bytes("stress-plan.xlsx", &bytes).expect("imports");
    println!(
        "stress plan: {} bytes, {} CCGs, {} services, {} risks, {} runs each",
        bytes.len(),
        plan.customers.len(),
        plan.services.len(),
        plan.risks.len(),
        RUNS
    );
    let b = report("calamine bare read (worksheet_range, every sheet)", t_bare);
    report("our guards and sparse read of every sheet", t_read);
    let o = report("plan::import (guards, sparse read, findings, metrics, SHA-256)", t_ours);
    println!("ratio: {:.2} fastest to fastest, {:.2} median to median (target: at most 1.5)", o.0 / b.0, o.1 / b.1);
    hostile();
}

/// How long hostile files take to be dealt with (the tests check that they
/// are, this measures how fast): a cell at the sheet's far corner, which a
/// dense reader would allocate 17 billion cells for, and a page of nonsense.
fn hostile() {
    let mut book = rust_xlsxwriter::Workbook::new();
    let cover = book.add_worksheet().set_name("Cover").expect("name");
    cover.write_string(0, 0, "CSU name").expect("w");
    cover.write_string(0, 1, "Far Corner CSU").expect("w");
    let customers = book.add_worksheet().set_name("Customers").expect("name");
    customers.write_string(0, 0, "CCG").expect("w");
    customers.write_number(1_048_575, 16_383, 1.0).expect("w");
    let far = book.save_to_buffer().expect("saved");
    let nonsense: Vec<u8> = (0..65_536u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8).collect();
    for (what, bytes) in
        [("far-corner cell (loads with findings)", &far), ("64 KB of random bytes (refused)", &nonsense)]
    {
        let times: Vec<Duration> = (0..RUNS)
            .map(|_| {
                timed(&mut || {
                    std::hint::black_box(csu_assess::plan::import_bytes("hostile.xlsx", bytes).is_ok());
                })
            })
            .collect();
        report(what, times);
    }
}
