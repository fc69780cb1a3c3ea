//! The password policy: strength by length, no composition rules, no forced renewal
//! (CNIL délibération 2022-100: about 80 bits of entropy for a password used alone).
//!
//! The estimate is deliberately simple and explainable to a person: each character adds
//! `log2(size of the alphabets used)` bits, except characters that repeat the previous one
//! or continue a run (`aaaa`, `1234`, `abcd`), which add one bit. A long sentence of
//! ordinary words passes; a short password with symbols does not.

use crate::ParseError;

/// Bits of entropy required by default.
pub const DEFAULT_MIN_BITS: f64 = 80.0;
/// Characters under which no password is accepted, whatever its alphabet.
pub const MIN_LENGTH: usize = 12;
/// Upper bound, to keep hashing cheap and refuse pasted documents.
pub const MAX_LENGTH: usize = 256;

/// Passwords so common they are refused whatever their length estimate.
const COMMON: &[&str] = &[
    "motdepasse",
    "password",
    "azerty",
    "qwerty",
    "123456",
    "soleil",
    "bonjour",
    "doudou",
    "marseille",
    "loulou",
    "trame",
];

/// The estimated entropy of a password, in bits.
pub fn estimate_bits(password: &str) -> f64 {
    let mut lower = false;
    let mut upper = false;
    let mut digit = false;
    let mut symbol = false;
    let mut other = false;
    for c in password.chars() {
        if c.is_ascii_lowercase() {
            lower = true;
        } else if c.is_ascii_uppercase() {
            upper = true;
        } else if c.is_ascii_digit() {
            digit = true;
        } else if c.is_ascii() {
            symbol = true;
        } else {
            other = true;
        }
    }
    let pool = [
        (lower, 26.0),
        (upper, 26.0),
        (digit, 10.0),
        (symbol, 33.0),
        (other, 40.0),
    ]
    .iter()
    .filter(|(used, _)| *used)
    .map(|(_, n)| n)
    .sum::<f64>();
    if pool <= 1.0 {
        return 0.0;
    }
    let per_char = pool.log2();
    let mut bits = 0.0;
    let mut prev: Option<char> = None;
    let mut prev_step: Option<i64> = None;
    for c in password.chars() {
        let step = prev.map(|p| c as i64 - p as i64);
        let predictable = match (step, prev_step) {
            (Some(0), _) => true,
            (Some(s), Some(ps)) if s == ps && s.abs() == 1 => true,
            _ => false,
        };
        bits += if predictable { 1.0 } else { per_char };
        prev_step = step;
        prev = Some(c);
    }
    bits
}

/// Checks a new password against the policy. `context` holds words the password must not
/// simply repeat (the person's email, the territory's name).
pub fn check_new_password(
    password: &str,
    context: &[&str],
    min_bits: f64,
) -> Result<(), ParseError> {
    let length = password.chars().count();
    if length < MIN_LENGTH {
        return Err(ParseError::new(format!(
            "Le mot de passe doit compter au moins {MIN_LENGTH} caractères. Une phrase de plusieurs mots est plus facile à retenir."
        )));
    }
    if length > MAX_LENGTH {
        return Err(ParseError::new(format!(
            "Le mot de passe ne peut pas dépasser {MAX_LENGTH} caractères."
        )));
    }
    let folded: String = password
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect();
    let mut reduced = folded.clone();
    for word in COMMON
        .iter()
        .copied()
        .chain(context.iter().flat_map(|c| c.split(['@', '.', ' ', '-'])))
    {
        let word = word.to_lowercase();
        if word.chars().count() >= 4 {
            reduced = reduced.replace(&word, "");
        }
    }
    let bits = estimate_bits(password) * (reduced.chars().count().max(1) as f64)
        / (folded.chars().count().max(1) as f64);
    if bits < min_bits {
        return Err(ParseError::new(
            "Ce mot de passe est trop facile à deviner. Allongez-le : par exemple quatre ou cinq mots sans rapport entre eux, séparés par des espaces.",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_passphrases_pass_short_complex_passwords_fail() {
        assert!(
            check_new_password("cheval agrafe batterie correcte", &[], DEFAULT_MIN_BITS).is_ok()
        );
        assert!(check_new_password("Tr0ub4dor&3", &[], DEFAULT_MIN_BITS).is_err());
        // 12 characters of 4 kinds: about 79 bits, the CNIL's example, accepted with 13.
        assert!(check_new_password("k7#Rq9!vL2@xW", &[], DEFAULT_MIN_BITS).is_ok());
    }

    #[test]
    fn repeats_and_runs_count_little() {
        assert!(check_new_password("aaaaaaaaaaaaaaaaaaaaaaaa", &[], DEFAULT_MIN_BITS).is_err());
        assert!(check_new_password("abcdefghijklmnopqrstuvwxyz", &[], DEFAULT_MIN_BITS).is_err());
        assert!(check_new_password("123456789012345678901234", &[], DEFAULT_MIN_BITS).is_err());
    }

    #[test]
    fn the_email_is_not_a_password() {
        let email = "marie.durand@gpsea.fr";
        assert!(check_new_password("marie.durand@gpsea.fr", &[email], DEFAULT_MIN_BITS).is_err());
        assert!(check_new_password("motdepassemotdepasse", &[], DEFAULT_MIN_BITS).is_err());
    }
}
