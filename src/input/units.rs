//! Quantities written with units: `180 m²`, `1.2万㎡`, `350 m`, `0.3 公里`;
//! shares (`55%`, `0.55`) and grades (`三级`, `三甲`, `3`).
//!
//! Every figure is read from its decimal text into the exact fraction the
//! engine compares ([`Num`]), never through a double: `319.99999999999999`
//! is not 320. A figure with more digits than that fraction holds is an
//! error ([`UnitError::TooLong`]), never a rounding.

use crate::base::num::{DecimalError, Num};

/// What went wrong reading a quantity; the caller points at the value.
#[derive(Debug, PartialEq)]
pub enum UnitError {
    NotANumber,
    /// More digits than an exact check holds (about 38).
    TooLong,
    UnknownUnit(String),
    Negative,
    /// A share above 100 %.
    OverHundred,
    /// A bare number above 1 for a share: `55` could mean 55 % or 5500 %.
    AmbiguousShare,
    /// A grade outside 1..=max.
    OutOfRange(u8),
}

/// Units of area, with their factor to m² as a power of ten.
const AREA_UNITS: &[(&str, i32)] = &[("m²", 0), ("㎡", 0), ("m2", 0), ("sqm", 0), ("平方米", 0)];
/// Units of distance, with their factor to m as a power of ten.
const DISTANCE_UNITS: &[(&str, i32)] = &[("m", 0), ("米", 0), ("km", 3), ("公里", 3), ("千米", 3)];

pub const AREA_UNIT_NAMES: &str = "m², ㎡, m2, sqm, 平方米 (optionally after 万)";
pub const DISTANCE_UNIT_NAMES: &str = "m, 米, km, 公里, 千米";

/// The units a quantity of area (or distance) may be written with.
pub fn unit_names(area: bool) -> impl Iterator<Item = &'static str> {
    let units = if area { AREA_UNITS } else { DISTANCE_UNITS };
    units.iter().map(|&(name, _)| name)
}

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

/// A number as written (`12`, `-4.5`, `1e3`), exactly.
pub fn parse_number(text: &str) -> Result<Num, UnitError> {
    Num::parse_decimal(text).map_err(|e| match e {
        DecimalError::NotANumber => UnitError::NotANumber,
        DecimalError::TooLong => UnitError::TooLong,
    })
}

/// Check a bare YAML number: not negative.
pub fn check_number(x: Num) -> Result<Num, UnitError> {
    if x.compare(Num::ZERO) == Some(std::cmp::Ordering::Less) {
        Err(UnitError::Negative)
    } else {
        Ok(x)
    }
}

pub fn parse_area(text: &str) -> Result<Num, UnitError> {
    parse_quantity(text, AREA_UNITS)
}

pub fn parse_distance(text: &str) -> Result<Num, UnitError> {
    parse_quantity(text, DISTANCE_UNITS)
}

pub const PERCENT_FORMS: &str = "55%, 55 %, 55％, 0.55";

/// A share as a percent (0–100). `x` is a bare YAML number: a fraction 0–1.
pub fn percent_of_number(x: Num) -> Result<Num, UnitError> {
    let x = check_number(x)?;
    if x.compare(Num::int(1)) == Some(std::cmp::Ordering::Greater) {
        Err(UnitError::AmbiguousShare)
    } else {
        // x ≤ 1 and exact, so 100·x cannot overflow.
        x.mul(Num::int(100)).ok_or(UnitError::TooLong)
    }
}

/// A share written as text: `55%`, `55 %`, `55％`, or a fraction `0.55`.
pub fn parse_percent(text: &str) -> Result<Num, UnitError> {
    let text = text.trim();
    let Some(number) = text
        .strip_suffix('%')
        .or_else(|| text.strip_suffix('％'))
        .map(str::trim_end)
    else {
        return percent_of_number(parse_number(text)?);
    };
    let ok = !number.is_empty()
        && number
            .chars()
            .enumerate()
            .all(|(i, c)| c.is_ascii_digit() || c == '.' || (i == 0 && c == '-'));
    if !ok {
        return Err(UnitError::NotANumber);
    }
    let x = check_number(parse_number(number)?)?;
    if x.compare(Num::int(100)) == Some(std::cmp::Ordering::Greater) {
        Err(UnitError::OverHundred)
    } else {
        Ok(x)
    }
}

pub const LEVEL_FORMS: &str = "3, 三级, 3级 (hospitals also 三级甲等, 三甲)";

/// A grade 1..=max from a bare YAML integer.
pub fn level_of_number(n: i128, max: u8) -> Result<i64, UnitError> {
    if (1..=i128::from(max)).contains(&n) {
        Ok(n as i64)
    } else {
        Err(UnitError::OutOfRange(max))
    }
}

/// A grade written as text: `三级`, `3级`, `三级甲等`, `三甲`, `二乙`, `3`.
pub fn parse_level(text: &str, max: u8) -> Result<i64, UnitError> {
    let text = text.trim();
    let mut chars = text.chars();
    let first = chars.next().ok_or(UnitError::NotANumber)?;
    let n = match first {
        '一' => 1,
        '二' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        c if c.is_ascii_digit() => i128::from(c.to_digit(10).unwrap_or(0)),
        _ => return Err(UnitError::NotANumber),
    };
    let rest = chars.as_str();
    let rest = rest.strip_prefix('级').unwrap_or(rest);
    // 甲等 / 乙等 / 丙等 (or 甲, 乙, 丙) subdivide a hospital's level.
    let rest = ["甲等", "乙等", "丙等", "甲", "乙", "丙"]
        .iter()
        .find_map(|s| rest.strip_prefix(s))
        .unwrap_or(rest);
    if !rest.is_empty() || (text.chars().count() == 1 && !first.is_ascii_digit()) {
        return Err(UnitError::NotANumber);
    }
    level_of_number(n, max)
}

/// Every factor is a power of ten, applied by shifting the decimal point of
/// the number as written (`0.04万` is read as `0.04e4`), so the result is the
/// exact quantity.
fn parse_quantity(text: &str, units: &[(&str, i32)]) -> Result<Num, UnitError> {
    let text = text.trim();
    let end = text
        .char_indices()
        .find(|&(i, c)| !(c.is_ascii_digit() || c == '.' || (i == 0 && (c == '-' || c == '+'))))
        .map_or(text.len(), |(i, _)| i);
    let (number, rest) = text.split_at(end);
    // The number itself first: `1.2.3 m²` is not a number whatever its unit.
    parse_number(number)?;
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
    check_number(parse_number(&format!("{number}e{exponent}"))?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(text: &str) -> Num {
        Num::parse_decimal(text).unwrap()
    }

    #[test]
    fn areas_in_every_accepted_unit() {
        for (text, m2) in [
            ("560", "560.0"),
            ("180 m²", "180.0"),
            ("180m²", "180.0"),
            ("180 ㎡", "180.0"),
            ("180 m2", "180.0"),
            ("180 sqm", "180.0"),
            ("180 SQM", "180.0"),
            ("180平方米", "180.0"),
            ("1.2万㎡", "12000.0"),
            ("1.2 万 平方米", "12000.0"),
            ("2万", "20000.0"),
            ("0.04万㎡", "400.0"),
            ("0.0003万㎡", "3.0"),
        ] {
            assert_eq!(parse_area(text), Ok(n(m2)), "{text}");
        }
        // Exactly as written: a double would make both of these 320 and 3.
        assert_eq!(
            parse_area("319.99999999999999 m²"),
            Ok(n("319.99999999999999"))
        );
        assert_eq!(
            parse_area("0.00029999999999999999万㎡"),
            Ok(n("2.9999999999999999"))
        );
    }

    #[test]
    fn distances_in_every_accepted_unit() {
        for (text, m) in [
            ("350 m", "350.0"),
            ("350米", "350.0"),
            ("0.3 km", "300.0"),
            ("0.3公里", "300.0"),
            ("0.3千米", "300.0"),
            ("1.1 km", "1100.0"),
            ("350", "350.0"),
        ] {
            assert_eq!(parse_distance(text), Ok(n(m)), "{text}");
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
        assert_eq!(check_number(n("-0.0")), Ok(Num::ZERO));
        assert_eq!(
            parse_area("1234567890123456789012345678901234567890 m²"),
            Err(UnitError::TooLong)
        );
        assert_eq!(
            parse_area("0.1234567890123456789012345678901234567891万㎡"),
            Err(UnitError::TooLong)
        );
    }

    #[test]
    fn shares_as_people_write_them() {
        for (text, pct) in [
            ("55%", "55.0"),
            ("55 %", "55.0"),
            ("55％", "55.0"),
            ("100%", "100.0"),
            ("7.16%", "7.16"),
            ("0.55", "55.0"),
            ("1", "100.0"),
            ("0%", "0.0"),
        ] {
            assert_eq!(parse_percent(text), Ok(n(pct)), "{text}");
        }
        assert_eq!(percent_of_number(n("0.6")), Ok(Num::int(60)));
        assert_eq!(
            percent_of_number(n("0.5999999999999999999")),
            Ok(n("59.99999999999999999"))
        );
        assert_eq!(
            percent_of_number(Num::int(55)),
            Err(UnitError::AmbiguousShare)
        );
        assert_eq!(
            parse_percent("99.99999999999999999%"),
            Ok(n("99.99999999999999999"))
        );
        assert_eq!(parse_percent("55"), Err(UnitError::AmbiguousShare));
        assert_eq!(parse_percent("120%"), Err(UnitError::OverHundred));
        assert_eq!(parse_percent("-5%"), Err(UnitError::Negative));
        assert_eq!(parse_percent("%"), Err(UnitError::NotANumber));
        assert_eq!(parse_percent("about half"), Err(UnitError::NotANumber));
        assert_eq!(parse_percent("5 5%"), Err(UnitError::NotANumber));
    }

    #[test]
    fn grades_in_digits_and_chinese() {
        for (text, n) in [
            ("3", 3),
            ("三级", 3),
            ("3级", 3),
            ("三级甲等", 3),
            ("三甲", 3),
            ("二乙", 2),
            ("一级", 1),
        ] {
            assert_eq!(parse_level(text, 3), Ok(n), "{text}");
        }
        assert_eq!(parse_level("五级", 5), Ok(5));
        assert_eq!(parse_level("四级", 3), Err(UnitError::OutOfRange(3)));
        assert_eq!(parse_level("三", 3), Err(UnitError::NotANumber));
        assert_eq!(parse_level("三级医院", 3), Err(UnitError::NotANumber));
        assert_eq!(parse_level("A", 3), Err(UnitError::NotANumber));
        assert_eq!(level_of_number(0, 5), Err(UnitError::OutOfRange(5)));
        assert_eq!(level_of_number(6, 5), Err(UnitError::OutOfRange(5)));
    }
}
