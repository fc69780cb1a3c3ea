//! French number formatting for people: `93 397` with a narrow no-break space.

/// Groups the digits of `n` by thousands with a narrow no-break space.
pub fn group_digits(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 * 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('\u{202f}');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups() {
        assert_eq!(group_digits(0), "0");
        assert_eq!(group_digits(999), "999");
        assert_eq!(group_digits(93_397), "93\u{202f}397");
        assert_eq!(group_digits(1_234_567), "1\u{202f}234\u{202f}567");
    }
}
