//! The data·inclusion import readers on any file: read or refused with faults by row.
#![no_main]
use libfuzzer_sys::fuzz_target;
use trame_domain::directory::exchange::{read_csv, read_json};

fuzz_target!(|bytes: &[u8]| {
    let _ = read_json(bytes);
    let _ = read_csv(bytes);
});
