//! Integration tests, one binary: each module says what it covers.
//! Fixtures are built by the tests themselves (through the example writer)
//! or, for files from other office suites, by `tests/fixtures/make-office-fixtures.sh`.

mod util;

mod calibration;
mod ccg_interviews;
mod chains;
mod cli_assess;
mod cli_inspect;
mod cli_letter;
mod criteria_validation;
#[cfg(feature = "window")]
mod drafts;
mod examples_import;
#[cfg(feature = "window")]
mod gui;
#[cfg(feature = "window")]
mod gui_portfolio;
mod hostile_files;
mod interests_and_checkpoints;
mod leaders_interview;
mod letter_kinds;
mod letters;
mod office_suites;
mod offline;
mod packaging;
mod pdf_signatures;
mod portfolio;
mod record;
mod roster;
mod scoring;
#[cfg(feature = "window")]
mod session;
mod signing;
mod store_files;
mod template_schema;
mod variations;
#[cfg(feature = "window")]
mod window_process;
mod xlsb_format;
