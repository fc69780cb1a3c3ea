//! Attachments of a dossier: their kinds and their size limit. Their format is decided by
//! their content, and what it could hide is refused: [`crate::upload`].

/// Largest attachment accepted: 10 MB.
pub const MAX_BYTES: usize = 10 * 1024 * 1024;

/// The kinds of attachment a dossier asks for, with their French labels.
pub const KINDS: [(&str, &str); 5] = [
    ("statuts", "Statuts"),
    ("rib", "Relevé d'identité bancaire"),
    ("budget", "Budget prévisionnel de la structure"),
    ("comptes", "Derniers comptes approuvés"),
    ("autre", "Autre pièce"),
];

/// Kinds that stay valid from one year to the next, offered again on a new dossier.
pub const LASTING_KINDS: [&str; 2] = ["statuts", "rib"];

/// The French label of a kind.
pub fn kind_label(code: &str) -> &'static str {
    KINDS
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, l)| *l)
        .unwrap_or("Pièce")
}

pub use crate::upload::{Format, MAX_INFLATED, clean_filename, inspect, sniff};
