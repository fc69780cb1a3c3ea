//! Images people upload (territory logos): PNG or JPEG, recognised by their first bytes,
//! and small.

use crate::ParseError;

/// Largest logo accepted, in bytes.
pub const MAX_LOGO_BYTES: usize = 300 * 1024;

/// The media type of an uploaded logo, or why it is refused.
pub fn logo_mime(bytes: &[u8]) -> Result<&'static str, ParseError> {
    if bytes.is_empty() {
        return Err(ParseError::new("Choisissez un fichier image."));
    }
    if bytes.len() > MAX_LOGO_BYTES {
        return Err(ParseError::new(format!(
            "Le logo pèse {} Ko ; il ne peut pas dépasser {} Ko.",
            bytes.len().div_ceil(1024),
            MAX_LOGO_BYTES / 1024
        )));
    }
    if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a]) {
        Ok("image/png")
    } else if bytes.starts_with(&[0xff, 0xd8, 0xff]) {
        Ok("image/jpeg")
    } else {
        Err(ParseError::new("Le logo doit être une image PNG ou JPEG."))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn png_and_jpeg_only_and_small() {
        assert_eq!(logo_mime(b"\x89PNG\r\n\x1a\nrest"), Ok("image/png"));
        assert_eq!(logo_mime(b"\xff\xd8\xff\xe0rest"), Ok("image/jpeg"));
        assert!(logo_mime(b"<svg onload=alert(1)>").is_err());
        assert!(logo_mime(b"").is_err());
        let big = [&b"\x89PNG\r\n\x1a\n"[..], &vec![0u8; MAX_LOGO_BYTES]].concat();
        assert!(logo_mime(&big).unwrap_err().message.contains("300 Ko"));
    }
}
