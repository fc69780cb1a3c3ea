//! SIRET, SIREN, RNA and INSEE codes: any text is parsed or refused, never a panic, and
//! what parses prints back to something that parses to the same value.
#![no_main]
use libfuzzer_sys::fuzz_target;
use trame_domain::identifiers::{CodeInsee, Rna, Siren, Siret};

fuzz_target!(|text: &str| {
    if let Ok(s) = Siret::parse(text) {
        assert_eq!(Siret::parse(s.as_str()).ok(), Some(s));
    }
    if let Ok(s) = Siren::parse(text) {
        assert_eq!(Siren::parse(s.as_str()).ok(), Some(s));
    }
    if let Ok(r) = Rna::parse(text) {
        assert_eq!(Rna::parse(r.as_str()).ok(), Some(r));
    }
    let _ = CodeInsee::parse(text);
});
