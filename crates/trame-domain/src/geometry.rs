//! Commune outlines for the map: read from a GeoJSON file (such as IGN ADMIN EXPRESS or
//! the Etalab contours), in WGS 84 or in Lambert-93 (converted), thinned for drawing, and
//! turned into SVG paths.

use std::collections::BTreeMap;

/// A commune's outline: its rings (outer and inner, of every polygon), in (longitude,
/// latitude) degrees.
#[derive(Debug, Clone, PartialEq)]
pub struct Outline {
    /// INSEE code.
    pub code: String,
    /// Rings.
    pub rings: Vec<Vec<(f64, f64)>>,
}

/// What reading a file gave: the outlines by code, and what was set aside.
#[derive(Debug, Clone, Default)]
pub struct Reading {
    /// Outlines by INSEE code (a code seen twice keeps all its rings).
    pub outlines: BTreeMap<String, Vec<Vec<(f64, f64)>>>,
    /// Whether the coordinates were Lambert-93 and converted.
    pub from_lambert93: bool,
}

/// The property names an INSEE code is read from, in order.
const CODE_KEYS: [&str; 6] = [
    "INSEE_COM",
    "insee_com",
    "code_insee",
    "code",
    "codgeo",
    "CODGEO",
];

/// Points closer than this to the last kept one are dropped (degrees, about 10 m).
const THIN: f64 = 0.0001;

fn ring_of(v: &serde_json::Value, lambert: bool) -> Option<Vec<(f64, f64)>> {
    let mut out: Vec<(f64, f64)> = Vec::new();
    for p in v.as_array()? {
        let p = p.as_array()?;
        let (x, y) = (p.first()?.as_f64()?, p.get(1)?.as_f64()?);
        let (lon, lat) = if lambert {
            lambert93_to_wgs84(x, y)
        } else {
            (x, y)
        };
        if let Some(&(lx, ly)) = out.last()
            && (lx - lon).abs() < THIN
            && (ly - lat).abs() < THIN
        {
            continue;
        }
        out.push((lon, lat));
    }
    (out.len() >= 4).then_some(out)
}

fn looks_projected(geometry: &serde_json::Value) -> bool {
    // The first coordinate of any depth: beyond ±180 / ±90 it is not degrees.
    let Some(mut v) = geometry.get("coordinates") else {
        return false;
    };
    while let Some(first) = v.as_array().and_then(|a| a.first()) {
        if first.is_number() {
            let a = v.as_array().map(Vec::as_slice).unwrap_or_default();
            let x = a.first().and_then(serde_json::Value::as_f64).unwrap_or(0.0);
            let y = a.get(1).and_then(serde_json::Value::as_f64).unwrap_or(0.0);
            return x.abs() > 180.0 || y.abs() > 90.0;
        }
        v = first;
    }
    false
}

/// Reads a GeoJSON FeatureCollection of communes. Each feature needs an INSEE code in one
/// of its properties (`INSEE_COM`, `code_insee`, `code`…) and a Polygon or MultiPolygon
/// geometry. Errors name the feature (from 1) and say why, in French.
pub fn read_geojson(bytes: &[u8]) -> Result<Reading, Vec<String>> {
    let doc: serde_json::Value = serde_json::from_slice(bytes)
        .map_err(|e| vec![format!("Le fichier n'est pas un JSON valide : {e}.")])?;
    let Some(features) = doc.get("features").and_then(serde_json::Value::as_array) else {
        return Err(vec![
            "Le fichier n'est pas une FeatureCollection GeoJSON (pas de liste « features »)."
                .into(),
        ]);
    };
    let mut errors = Vec::new();
    let mut reading = Reading::default();
    for (i, f) in features.iter().enumerate() {
        let n = i + 1;
        let props = f.get("properties");
        let code = CODE_KEYS
            .iter()
            .find_map(|k| {
                props
                    .and_then(|p| p.get(*k))
                    .and_then(serde_json::Value::as_str)
            })
            .map(str::trim)
            .unwrap_or_default();
        if code.len() != 5 {
            errors.push(format!(
                "Entité {n} : pas de code INSEE de commune (propriété INSEE_COM, code_insee ou code)."
            ));
            continue;
        }
        let null = serde_json::Value::Null;
        let g = f.get("geometry").unwrap_or(&null);
        let lambert = looks_projected(g);
        if lambert {
            reading.from_lambert93 = true;
        }
        let coordinates = g.get("coordinates").unwrap_or(&null);
        let polygons: Vec<&serde_json::Value> = match g
            .get("type")
            .and_then(serde_json::Value::as_str)
        {
            Some("Polygon") => vec![coordinates],
            Some("MultiPolygon") => coordinates
                .as_array()
                .map(|a| a.iter().collect())
                .unwrap_or_default(),
            other => {
                errors.push(format!(
                    "Entité {n} ({code}) : géométrie {} ; un contour de commune est un Polygon ou un MultiPolygon.",
                    other.unwrap_or("absente")
                ));
                continue;
            }
        };
        let mut rings = Vec::new();
        for poly in polygons {
            for r in poly.as_array().map(Vec::as_slice).unwrap_or_default() {
                match ring_of(r, lambert) {
                    Some(ring) => rings.push(ring),
                    None => errors.push(format!(
                        "Entité {n} ({code}) : un anneau n'a pas au moins 4 points [x, y] numériques."
                    )),
                }
            }
        }
        if let Some(&(lon, lat)) = rings.first().and_then(|r| r.first())
            && !((-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat))
        {
            errors.push(format!(
                "Entité {n} ({code}) : coordonnées hors de WGS 84 et de Lambert-93 ; convertissez le fichier en WGS 84 (EPSG:4326)."
            ));
            continue;
        }
        reading
            .outlines
            .entry(code.to_owned())
            .or_default()
            .extend(rings);
    }
    if errors.is_empty() {
        Ok(reading)
    } else {
        Err(errors)
    }
}

/// Lambert-93 (EPSG:2154, RGF93, GRS 80) to WGS 84 degrees (the two datums agree within a
/// metre): the inverse Lambert conformal conic projection with two standard parallels.
pub fn lambert93_to_wgs84(x: f64, y: f64) -> (f64, f64) {
    const A: f64 = 6_378_137.0;
    const F: f64 = 1.0 / 298.257_222_101;
    let e = (2.0 * F - F * F).sqrt();
    let (phi1, phi2, phi0) = (44f64.to_radians(), 49f64.to_radians(), 46.5f64.to_radians());
    let lambda0 = 3f64.to_radians();
    let (x0, y0) = (700_000.0, 6_600_000.0);
    let m = |phi: f64| phi.cos() / (1.0 - e * e * phi.sin().powi(2)).sqrt();
    let t = |phi: f64| {
        (std::f64::consts::FRAC_PI_4 - phi / 2.0).tan()
            / ((1.0 - e * phi.sin()) / (1.0 + e * phi.sin())).powf(e / 2.0)
    };
    let n = (m(phi1).ln() - m(phi2).ln()) / (t(phi1).ln() - t(phi2).ln());
    let big_f = m(phi1) / (n * t(phi1).powf(n));
    let rho0 = A * big_f * t(phi0).powf(n);
    let (dx, dy) = (x - x0, rho0 - (y - y0));
    let rho = n.signum() * (dx * dx + dy * dy).sqrt();
    let tt = (rho / (A * big_f)).powf(1.0 / n);
    let theta = dx.atan2(dy);
    let lambda = theta / n + lambda0;
    let mut phi = std::f64::consts::FRAC_PI_2 - 2.0 * tt.atan();
    for _ in 0..10 {
        let s = e * phi.sin();
        phi =
            std::f64::consts::FRAC_PI_2 - 2.0 * (tt * ((1.0 - s) / (1.0 + s)).powf(e / 2.0)).atan();
    }
    (lambda.to_degrees(), phi.to_degrees())
}

/// An outline drawn in a `width` × `height` drawing.
#[derive(Debug, Clone, PartialEq)]
pub struct Drawn {
    /// INSEE code.
    pub code: String,
    /// SVG path (`M x y L … Z`, one sub-path per ring; even-odd fill keeps the holes).
    pub path: String,
    /// Where its label goes: the centre of its largest ring's bounding box.
    pub label: (f64, f64),
}

/// Draws the outlines, north up, with the equirectangular projection of the schematic
/// map, fitted to the drawing with `margin` pixels around.
pub fn draw(outlines: &[Outline], width: f64, height: f64, margin: f64) -> Vec<Drawn> {
    let pts = || outlines.iter().flat_map(|o| o.rings.iter().flatten());
    let Some(&(_, first_lat)) = pts().next() else {
        return Vec::new();
    };
    let (mut lat_lo, mut lat_hi) = (first_lat, first_lat);
    for &(_, lat) in pts() {
        lat_lo = lat_lo.min(lat);
        lat_hi = lat_hi.max(lat);
    }
    let k = ((lat_lo + lat_hi) / 2.0).to_radians().cos();
    let (mut x0, mut x1, mut y0, mut y1) = (
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::INFINITY,
        f64::NEG_INFINITY,
    );
    for &(lon, lat) in pts() {
        x0 = x0.min(lon * k);
        x1 = x1.max(lon * k);
        y0 = y0.min(-lat);
        y1 = y1.max(-lat);
    }
    let span = ((x1 - x0) / (width - 2.0 * margin)).max((y1 - y0) / (height - 2.0 * margin));
    let scale = if span > 0.0 { 1.0 / span } else { 1.0 };
    let dx = (width - (x1 - x0) * scale) / 2.0;
    let dy = (height - (y1 - y0) * scale) / 2.0;
    let px = |(lon, lat): (f64, f64)| {
        (
            round((lon * k - x0) * scale + dx),
            round((-lat - y0) * scale + dy),
        )
    };
    outlines
        .iter()
        .map(|o| {
            let mut path = String::new();
            let mut best = (0.0, (0.0, 0.0));
            for ring in &o.rings {
                let screen: Vec<(f64, f64)> = ring.iter().copied().map(px).collect();
                let mut last = (f64::NAN, f64::NAN);
                for (i, p) in screen.iter().enumerate() {
                    if *p == last {
                        continue;
                    }
                    path.push_str(if i == 0 { "M" } else { "L" });
                    path.push_str(&format!("{} {}", p.0, p.1));
                    last = *p;
                }
                path.push('Z');
                let (bx0, bx1) = screen
                    .iter()
                    .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), p| {
                        (a.min(p.0), b.max(p.0))
                    });
                let (by0, by1) = screen
                    .iter()
                    .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), p| {
                        (a.min(p.1), b.max(p.1))
                    });
                let area = (bx1 - bx0) * (by1 - by0);
                if area > best.0 {
                    best = (area, (round((bx0 + bx1) / 2.0), round((by0 + by1) / 2.0)));
                }
            }
            Drawn {
                code: o.code.clone(),
                path,
                label: best.1,
            }
        })
        .collect()
}

fn round(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lambert93_converts_to_degrees() {
        // Paris (2.352 222° E, 48.856 614° N) is (652 469.02, 6 862 035.26) in Lambert-93;
        // within 1e-4° (about 8 m), far below a pixel of the map.
        let (lon, lat) = lambert93_to_wgs84(652_469.02, 6_862_035.26);
        assert!((lon - 2.352_222).abs() < 1e-4, "{lon}");
        assert!((lat - 48.856_614).abs() < 1e-4, "{lat}");
        // The projection's origin.
        let (lon, lat) = lambert93_to_wgs84(700_000.0, 6_600_000.0);
        assert!(
            (lon - 3.0).abs() < 1e-9 && (lat - 46.5).abs() < 1e-6,
            "{lon} {lat}"
        );
    }

    const SQUARE: &str = r#"{"type": "FeatureCollection", "features": [
      {"type": "Feature", "properties": {"INSEE_COM": "94028", "NOM": "Créteil"},
       "geometry": {"type": "Polygon", "coordinates": [[[2.44, 48.77], [2.48, 48.77], [2.48, 48.80], [2.44, 48.80], [2.44, 48.77]]]}},
      {"type": "Feature", "properties": {"code": "94002"},
       "geometry": {"type": "MultiPolygon", "coordinates": [[[[2.41, 48.79], [2.43, 48.79], [2.43, 48.81], [2.41, 48.79]]]]}}
    ]}"#;

    #[test]
    fn a_feature_collection_gives_outlines_by_code() {
        let r = read_geojson(SQUARE.as_bytes()).unwrap();
        assert!(!r.from_lambert93);
        assert_eq!(r.outlines.len(), 2);
        assert_eq!(r.outlines["94028"][0].len(), 5);
        let outlines: Vec<Outline> = r
            .outlines
            .into_iter()
            .map(|(code, rings)| Outline { code, rings })
            .collect();
        let drawn = draw(&outlines, 600.0, 400.0, 20.0);
        assert_eq!(drawn.len(), 2);
        for d in &drawn {
            assert!(
                d.path.starts_with('M') && d.path.ends_with('Z'),
                "{}",
                d.path
            );
            assert!((0.0..=600.0).contains(&d.label.0) && (0.0..=400.0).contains(&d.label.1));
        }
        // Alfortville is west of Créteil.
        assert!(drawn[0].label.0 < drawn[1].label.0);
    }

    #[test]
    fn lambert93_files_are_converted_and_bad_features_named() {
        let l93 = r#"{"type": "FeatureCollection", "features": [
          {"properties": {"INSEE_COM": "94028"}, "geometry": {"type": "Polygon", "coordinates": [[[655000, 6853000], [658000, 6853000], [658000, 6856000], [655000, 6856000], [655000, 6853000]]]}}]}"#;
        let r = read_geojson(l93.as_bytes()).unwrap();
        assert!(r.from_lambert93);
        let (lon, lat) = r.outlines["94028"][0][0];
        assert!(
            (2.3..2.5).contains(&lon) && (48.7..48.9).contains(&lat),
            "{lon} {lat}"
        );
        let bad = r#"{"type": "FeatureCollection", "features": [
          {"properties": {"nom": "X"}, "geometry": {"type": "Polygon", "coordinates": []}},
          {"properties": {"code": "94028"}, "geometry": {"type": "Point", "coordinates": [2.4, 48.7]}}]}"#;
        let e = read_geojson(bad.as_bytes()).unwrap_err();
        assert_eq!(e.len(), 2);
        assert!(e[0].starts_with("Entité 1 : pas de code INSEE"));
        assert!(e[1].contains("géométrie Point"));
        assert!(read_geojson(b"[]").unwrap_err()[0].contains("FeatureCollection"));
        assert!(read_geojson(b"{").unwrap_err()[0].contains("pas un JSON valide"));
    }
}
