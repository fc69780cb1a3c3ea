//! The CERFA 12156 dossier form: any urlencoded body is parsed or refused field by field.
#![no_main]
use libfuzzer_sys::fuzz_target;
use trame_domain::funding::dossier::{DossierContent, DossierForm, DossierRules};
use trame_domain::money::Euros;

fuzz_target!(|body: &[u8]| {
    let pairs: Vec<(String, String)> = body
        .split(|b| *b == b'&')
        .filter_map(|kv| {
            let text = std::str::from_utf8(kv).ok()?;
            let (k, v) = text.split_once('=')?;
            Some((k.to_owned(), v.to_owned()))
        })
        .collect();
    let rules = DossierRules {
        communes: vec!["94028".into()],
        envelopes: vec!["pat".into()],
        ceiling: Euros::from_cents(1_500_000),
        ceiling_share_percent: 80,
        hosted_entrepreneurs: None,
    };
    let _ = DossierContent::parse(&DossierForm::from_pairs(&pairs), &rules);
});
