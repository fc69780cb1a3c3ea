//! A schematic map of a territory drawn from its communes' centroids: each commune a
//! disc whose area follows its population, placed by an equirectangular projection
//! (longitudes shrunk by the cosine of the mean latitude), scaled to fit the drawing; and
//! the classes of a choropleth (five, by quantiles of the values).

/// A commune to place.
#[derive(Debug, Clone)]
pub struct Point {
    /// INSEE code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Latitude, degrees.
    pub lat: f64,
    /// Longitude, degrees.
    pub lon: f64,
    /// Population.
    pub population: i64,
}

/// A commune placed on the drawing, in pixels.
#[derive(Debug, Clone, PartialEq)]
pub struct Placed {
    /// INSEE code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Centre.
    pub cx: f64,
    /// Centre.
    pub cy: f64,
    /// Radius.
    pub r: f64,
}

/// Places the points in a `width` × `height` drawing with `margin` pixels left around.
pub fn schematic(points: &[Point], width: f64, height: f64, margin: f64) -> Vec<Placed> {
    if points.is_empty() {
        return Vec::new();
    }
    let lat_mid = points.iter().map(|p| p.lat).sum::<f64>() / points.len() as f64;
    let k = lat_mid.to_radians().cos();
    let xs: Vec<f64> = points.iter().map(|p| p.lon * k).collect();
    let ys: Vec<f64> = points.iter().map(|p| -p.lat).collect();
    let (x0, x1) = bounds(&xs);
    let (y0, y1) = bounds(&ys);
    let span = ((x1 - x0) / (width - 2.0 * margin)).max((y1 - y0) / (height - 2.0 * margin));
    let scale = if span > 0.0 { 1.0 / span } else { 1.0 };
    // Centre the drawing in the free axis.
    let dx = (width - (x1 - x0) * scale) / 2.0;
    let dy = (height - (y1 - y0) * scale) / 2.0;
    let max_pop = points
        .iter()
        .map(|p| p.population)
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let r_max = (width.min(height) / 14.0).max(8.0);
    points
        .iter()
        .zip(xs.iter().zip(ys.iter()))
        .map(|(p, (x, y))| Placed {
            code: p.code.clone(),
            name: p.name.clone(),
            cx: round((x - x0) * scale + dx),
            cy: round((y - y0) * scale + dy),
            r: round((p.population.max(0) as f64 / max_pop).sqrt() * r_max).max(6.0),
        })
        .collect()
}

fn bounds(v: &[f64]) -> (f64, f64) {
    let lo = v.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    (lo, hi)
}

fn round(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

/// The five classes of a choropleth: the upper bound of each class, by quantiles of the
/// values (equal bounds merge). A value belongs to the first class whose bound it does not
/// exceed.
pub fn class_bounds(values: &[f64]) -> Vec<f64> {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    if v.is_empty() {
        return Vec::new();
    }
    v.sort_by(f64::total_cmp);
    let mut bounds: Vec<f64> = (1..=5)
        .map(|i| {
            let at = ((v.len() as f64) * f64::from(i) / 5.0).ceil() as usize;
            v.get(at.saturating_sub(1)).copied().unwrap_or_default()
        })
        .collect();
    bounds.dedup();
    bounds
}

/// The class (0-based) of a value.
pub fn class_of(bounds: &[f64], value: f64) -> usize {
    bounds
        .iter()
        .position(|b| value <= *b)
        .unwrap_or(bounds.len().saturating_sub(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(code: &str, lat: f64, lon: f64, population: i64) -> Point {
        Point {
            code: code.into(),
            name: code.into(),
            lat,
            lon,
            population,
        }
    }

    #[test]
    fn the_communes_fit_the_drawing_north_up() {
        let placed = schematic(
            &[
                p("nord", 48.80, 2.45, 90_000),
                p("sud", 48.70, 2.55, 10_000),
            ],
            600.0,
            400.0,
            40.0,
        );
        let (n, s) = (&placed[0], &placed[1]);
        assert!(n.cy < s.cy, "north is up");
        assert!(n.cx < s.cx, "west is left");
        for c in &placed {
            assert!((0.0..=600.0).contains(&c.cx) && (0.0..=400.0).contains(&c.cy));
        }
        assert!(n.r > s.r);
        assert_eq!(schematic(&[], 1.0, 1.0, 0.0), vec![]);
    }

    #[test]
    fn five_classes_by_quantiles() {
        let b = class_bounds(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0]);
        assert_eq!(b, vec![2.0, 4.0, 6.0, 8.0, 10.0]);
        assert_eq!(class_of(&b, 1.0), 0);
        assert_eq!(class_of(&b, 7.0), 3);
        assert_eq!(class_of(&b, 10.0), 4);
        assert_eq!(class_bounds(&[3.0, 3.0, 3.0]), vec![3.0]);
    }
}
