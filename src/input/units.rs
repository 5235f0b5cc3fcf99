//! Quantities written with units: `180 m²`, `1.2万㎡`, `350 m`, `0.3 公里`.

/// What went wrong reading a quantity; the caller points at the value.
#[derive(Debug, PartialEq)]
pub enum UnitError {
    NotANumber,
    UnknownUnit(String),
    Negative,
    NotFinite,
}

/// Units of area, with their factor to m² as a power of ten.
const AREA_UNITS: &[(&str, i32)] = &[("m²", 0), ("㎡", 0), ("m2", 0), ("sqm", 0), ("平方米", 0)];
/// Units of distance, with their factor to m as a power of ten.
const DISTANCE_UNITS: &[(&str, i32)] = &[("m", 0), ("米", 0), ("km", 3), ("公里", 3), ("千米", 3)];

pub const AREA_UNIT_NAMES: &str = "m², ㎡, m2, sqm, 平方米 (optionally after 万)";
pub const DISTANCE_UNIT_NAMES: &str = "m, 米, km, 公里, 千米";

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

/// Every factor is a power of ten, applied by shifting the decimal point of
/// the number as written (`0.04万` is read as `0.04e4`), so the result is the
/// double nearest the exact quantity: the engine recovers the decimal a
/// person wrote from it (see engine::num).
fn parse_quantity(text: &str, units: &[(&str, i32)]) -> Result<f64, UnitError> {
    let text = text.trim();
    let end = text
        .char_indices()
        .find(|&(i, c)| !(c.is_ascii_digit() || c == '.' || (i == 0 && (c == '-' || c == '+'))))
        .map_or(text.len(), |(i, _)| i);
    let (number, rest) = text.split_at(end);
    if number.is_empty() || number == "-" || number == "+" {
        return Err(UnitError::NotANumber);
    }
    number.parse::<f64>().map_err(|_| UnitError::NotANumber)?;
    let mut exponent = 0;
    let mut unit = rest.trim_start();
    if let Some(after) = unit.strip_prefix('万') {
        exponent += 4;
        unit = after.trim_start();
    }
    exponent += if unit.is_empty() {
        0
    } else {
        units
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(unit))
            .map(|&(_, exponent)| exponent)
            .ok_or_else(|| UnitError::UnknownUnit(unit.to_owned()))?
    };
    let x: f64 = format!("{number}e{exponent}")
        .parse()
        .map_err(|_| UnitError::NotANumber)?;
    check_number(x)
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
            ("0.04万㎡", 400.0),
            ("0.0003万㎡", 3.0),
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
            ("0.3千米", 300.0),
            ("1.1 km", 1100.0),
            ("350", 350.0),
        ] {
            assert_eq!(parse_distance(text), Ok(m), "{text}");
        }
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
