//! The upload inspector on any bytes: judged, never a panic, and never more inflated than
//! its bound (the inspector stops there).
#![no_main]
use libfuzzer_sys::fuzz_target;
use trame_domain::upload::{Format, inspect};

fuzz_target!(|bytes: &[u8]| {
    let _ = inspect("piece", bytes, &[Format::Pdf, Format::Ods, Format::Xlsx]);
});
