//! Trame's generated files: CSV, XLSX and ODS tables ([`table`]), the SCDL open-data file
//! ([`scdl`]); PDF (typst) will live here too, so that heavy dependencies stay out of the
//! other crates.

pub mod pdf;
pub mod scdl;
pub mod sheet;
pub mod table;

/// What can go wrong while writing a file.
#[derive(Debug, thiserror::Error)]
pub enum DocsError {
    /// The CSV writer failed.
    #[error("csv: {0}")]
    Csv(#[from] csv::Error),
    /// The writer could not be finished.
    #[error("io: {0}")]
    Io(String),
}

/// One commune, as exported.
#[derive(Debug, Clone)]
pub struct CommuneLine<'a> {
    /// INSEE code.
    pub code_insee: &'a str,
    /// Name.
    pub nom: &'a str,
    /// Population.
    pub population: i64,
    /// Latitude, when known.
    pub lat: Option<f64>,
    /// Longitude, when known.
    pub lon: Option<f64>,
}

/// The communes of a territory as CSV (UTF-8, comma-separated, header row), the layout
/// open-data portals expect.
pub fn communes_csv(lines: &[CommuneLine<'_>]) -> Result<Vec<u8>, DocsError> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["code_insee", "nom", "population", "latitude", "longitude"])?;
    for l in lines {
        w.write_record([
            l.code_insee,
            l.nom,
            &l.population.to_string(),
            &l.lat.map(|v| v.to_string()).unwrap_or_default(),
            &l.lon.map(|v| v.to_string()).unwrap_or_default(),
        ])?;
    }
    w.into_inner().map_err(|e| DocsError::Io(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_a_header_and_quotes_when_needed() {
        let out = communes_csv(&[CommuneLine {
            code_insee: "94028",
            nom: "Créteil, préfecture",
            population: 93_397,
            lat: Some(48.7836),
            lon: Some(2.4548),
        }]);
        let text = out
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .unwrap_or_default();
        assert_eq!(
            text,
            "code_insee,nom,population,latitude,longitude\n94028,\"Créteil, préfecture\",93397,48.7836,2.4548\n"
        );
    }
}
