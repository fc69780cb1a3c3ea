//! A territory's branding colour, accepted only when text on it and links in it stay
//! readable: WCAG 2.1 AA contrast (4.5:1) against white.

use crate::ParseError;

/// A colour `#rrggbb` with at least 4.5:1 contrast against white.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrandColor(String);

fn channel(v: u8) -> f64 {
    let c = f64::from(v) / 255.0;
    if c <= 0.04045 {
        c / 12.92
    } else {
        ((c + 0.055) / 1.055).powf(2.4)
    }
}

/// WCAG relative luminance of `(r, g, b)`.
pub fn luminance(r: u8, g: u8, b: u8) -> f64 {
    0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
}

/// Contrast ratio of a colour against white.
pub fn contrast_with_white(r: u8, g: u8, b: u8) -> f64 {
    1.05 / (luminance(r, g, b) + 0.05)
}

impl BrandColor {
    /// Parses `#rrggbb` (or `rrggbb`), refusing colours too light for text on white.
    pub fn parse(input: &str) -> Result<Self, ParseError> {
        let hex = input.trim().trim_start_matches('#').to_lowercase();
        let bad = || {
            ParseError::new(
                "La couleur s'écrit # suivi de 6 chiffres hexadécimaux, par exemple #1d4f7a.",
            )
        };
        if hex.len() != 6 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(bad());
        }
        let byte = |i: usize| {
            hex.get(i..i + 2)
                .and_then(|s| u8::from_str_radix(s, 16).ok())
        };
        let (Some(r), Some(g), Some(b)) = (byte(0), byte(2), byte(4)) else {
            return Err(bad());
        };
        let ratio = contrast_with_white(r, g, b);
        if ratio < 4.5 {
            return Err(ParseError::new(format!(
                "Cette couleur est trop claire : son contraste avec le blanc est de {ratio:.1}:1, il faut au moins 4,5:1 pour que les textes restent lisibles (RGAA). Choisissez une teinte plus foncée."
            )));
        }
        Ok(Self(format!("#{hex}")))
    }

    /// Trame's own accent, `#1d4f7a` (8.9:1 on white).
    pub fn default_accent() -> Self {
        Self("#1d4f7a".to_owned())
    }

    /// The colour, `#rrggbb`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// A darker shade (70 %), for hover states.
    pub fn darker(&self) -> String {
        let hex = self.0.trim_start_matches('#');
        let shade = |i: usize| {
            hex.get(i..i + 2)
                .and_then(|s| u8::from_str_radix(s, 16).ok())
                .map(|v| (f64::from(v) * 0.7).round() as u8)
                .unwrap_or(0)
        };
        format!("#{:02x}{:02x}{:02x}", shade(0), shade(2), shade(4))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dark_colours_pass_light_ones_fail() {
        assert_eq!(
            BrandColor::parse("#1D4F7A").map(|c| c.as_str().to_owned()),
            Ok("#1d4f7a".into())
        );
        assert!(
            BrandColor::parse("767676").is_ok(),
            "4.54:1, the grey at the limit"
        );
        let e = BrandColor::parse("#ffbf47").unwrap_err().message;
        assert!(e.contains("trop claire") && e.contains("1.6:1"), "{e}");
        assert!(BrandColor::parse("bleu").is_err());
        assert_eq!(BrandColor::parse("#1d4f7a").unwrap().darker(), "#143755");
    }
}
