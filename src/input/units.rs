//! Quantities written with units: `180 m²`, `1.2万㎡`, `350 m`, `0.3 公里`.

/// What went wrong reading a quantity; the caller points at the value.
#[derive(Debug, PartialEq)]
pub enum UnitError {
    NotANumber,
    UnknownUnit(String),
    Negative,
    NotFinite,
}

/// Units of area, with their factor to m².
const AREA_UNITS: &[(&str, f64)] = &[
    ("m²", 1.0),
    ("㎡", 1.0),
    ("m2", 1.0),
    ("sqm", 1.0),
    ("平方米", 1.0),
];
/// Units of distance, with their factor to m.
const DISTANCE_UNITS: &[(&str, f64)] = &[("m", 1.0), ("米", 1.0), ("km", 1000.0), ("公里", 1000.0)];

pub const AREA_UNIT_NAMES: &str = "m², ㎡, m2, sqm, 平方米 (optionally after 万)";
pub const DISTANCE_UNIT_NAMES: &str = "m, 米, km, 公里";

/// The accepted unit a mistyped one most likely meant: a near spelling
/// (`平米` → `平方米`, `sq m` → `sqm`), or for an area the square of a
/// length written without its square (`m` → `m²`). None when nothing is
/// close: a guess that changes the magnitude (`acres`) would be wrong.
pub fn closest_unit(unit: &str, area: bool) -> Option<&'static str> {
    let units = if area { AREA_UNITS } else { DISTANCE_UNITS };
    if area && matches!(unit, "m" | "M" | "米") {
        return Some(if unit == "米" { "平方米" } else { "m²" });
    }
    super::did_you_mean(unit, units.iter().map(|&(name, _)| name))
}

/// Check a bare YAML number: finite and not negative.
pub fn check_number(x: f64) -> Result<f64, UnitError> {
    if !x.is_finite() {
        Err(UnitError::NotFinite)
    } else if x < 0.0 {
        Err(UnitError::Negative)
    } else {
        Ok(x + 0.0) // turns -0 into 0
    }
}

pub fn parse_area(text: &str) -> Result<f64, UnitError> {
    parse_quantity(text, AREA_UNITS)
}

pub fn parse_distance(text: &str) -> Result<f64, UnitError> {
    parse_quantity(text, DISTANCE_UNITS)
}

fn parse_quantity(text: &str, units: &[(&str, f64)]) -> Result<f64, UnitError> {
    let text = text.trim();
    let end = text
        .char_indices()
        .find(|&(i, c)| !(c.is_ascii_digit() || c == '.' || (i == 0 && (c == '-' || c == '+'))))
        .map_or(text.len(), |(i, _)| i);
    let (number, rest) = text.split_at(end);
    if number.is_empty() || number == "-" || number == "+" {
        return Err(UnitError::NotANumber);
    }
    let mut x: f64 = number.parse().map_err(|_| UnitError::NotANumber)?;
    let mut unit = rest.trim_start();
    if let Some(after) = unit.strip_prefix('万') {
        x *= 10_000.0;
        unit = after.trim_start();
    }
    let factor = if unit.is_empty() {
        1.0
    } else {
        units
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(unit))
            .map(|&(_, factor)| factor)
            .ok_or_else(|| UnitError::UnknownUnit(unit.to_owned()))?
    };
    check_number(x * factor)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn areas_in_every_accepted_unit() {
        for (text, m2) in [
            ("560", 560.0),
            ("180 m²", 180.0),
            ("180m²", 180.0),
            ("180 ㎡", 180.0),
            ("180 m2", 180.0),
            ("180 sqm", 180.0),
            ("180 SQM", 180.0),
            ("180平方米", 180.0),
            ("1.2万㎡", 12_000.0),
            ("1.2 万 平方米", 12_000.0),
            ("2万", 20_000.0),
        ] {
            assert_eq!(parse_area(text), Ok(m2), "{text}");
        }
    }

    #[test]
    fn distances_in_every_accepted_unit() {
        for (text, m) in [
            ("350 m", 350.0),
            ("350米", 350.0),
            ("0.3 km", 300.0),
            ("0.3公里", 300.0),
            ("350", 350.0),
        ] {
            assert_eq!(parse_distance(text), Ok(m), "{text}");
        }
    }

    #[test]
    fn mistyped_units_suggest_the_accepted_one() {
        assert_eq!(closest_unit("平米", true), Some("平方米"));
        assert_eq!(closest_unit("sq m", true), Some("sqm"));
        assert_eq!(closest_unit("m", true), Some("m²"));
        assert_eq!(closest_unit("米", true), Some("平方米"));
        assert_eq!(closest_unit("m²", false), Some("m"));
        assert_eq!(closest_unit("kms", false), Some("km"));
        assert_eq!(closest_unit("acres", true), None);
    }

    #[test]
    fn bad_quantities_say_why() {
        assert_eq!(
            parse_area("180 acres"),
            Err(UnitError::UnknownUnit("acres".into()))
        );
        assert_eq!(parse_area("180 m"), Err(UnitError::UnknownUnit("m".into())));
        assert_eq!(
            parse_distance("3 m²"),
            Err(UnitError::UnknownUnit("m²".into()))
        );
        assert_eq!(parse_area("-5 m²"), Err(UnitError::Negative));
        assert_eq!(parse_area("m²"), Err(UnitError::NotANumber));
        assert_eq!(parse_area("1.2.3 m²"), Err(UnitError::NotANumber));
        assert_eq!(parse_area(""), Err(UnitError::NotANumber));
        assert_eq!(check_number(f64::NAN), Err(UnitError::NotFinite));
        assert_eq!(check_number(-0.0), Ok(0.0));
    }
}
