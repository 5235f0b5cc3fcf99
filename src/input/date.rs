//! Dates as the format writes them: `YYYY-MM-DD`, or `YYYY-MM` for a
//! milestone whose day is not fixed yet.

use std::cmp::Ordering;
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    /// `None` when only the month was written.
    pub day: Option<u8>,
}

pub fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        _ => 28,
    }
}

/// Why a date does not parse.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DateError {
    /// Not `YYYY-MM-DD` (or `YYYY-MM` where a month is allowed).
    Shape {
        month_allowed: bool,
    },
    NoSuchMonth {
        month: u8,
    },
    NoSuchDay {
        year: i32,
        month: u8,
        last: u8,
        day: u8,
    },
}

impl DateError {
    /// Why, as a message of the catalogue (`report::messages`).
    pub fn msg(&self) -> super::Msg {
        use super::Msg;
        match *self {
            DateError::Shape { .. } => Msg::new("date-shape").arg("expected", self.expected()),
            DateError::NoSuchMonth { month } => Msg::new("no-such-month").arg("month", month),
            DateError::NoSuchDay {
                year,
                month,
                last,
                day,
            } => Msg::new("no-such-day")
                .arg("month", format!("{year}-{month:02}"))
                .arg("last", last)
                .arg("day", format!("{day:02}")),
        }
    }

    pub fn expected(&self) -> &'static str {
        match self {
            DateError::Shape {
                month_allowed: true,
            } => "YYYY-MM or YYYY-MM-DD",
            _ => "YYYY-MM-DD",
        }
    }
}

impl std::fmt::Display for DateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DateError::Shape { .. } => write!(f, "expected a date as {}", self.expected()),
            DateError::NoSuchMonth { month } => write!(f, "month {month} does not exist (01–12)"),
            DateError::NoSuchDay {
                year,
                month,
                last,
                day,
            } => write!(f, "{year}-{month:02} has days 01–{last}, not {day:02}"),
        }
    }
}

impl Date {
    /// Parse `YYYY-MM-DD`, or also `YYYY-MM` when `month_allowed`.
    pub fn parse(text: &str, month_allowed: bool) -> Result<Date, String> {
        Date::parse_checked(text, month_allowed).map_err(|e| e.to_string())
    }

    /// [`Date::parse`] with the reason as a typed value.
    pub fn parse_checked(text: &str, month_allowed: bool) -> Result<Date, DateError> {
        let shape = DateError::Shape { month_allowed };
        let parts: Vec<&str> = text.trim().split('-').collect();
        let shape_ok = matches!(parts.len(), 2 | 3)
            && parts[0].len() == 4
            && parts[1..].iter().all(|p| p.len() == 2)
            && parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit()));
        if !shape_ok || (parts.len() == 2 && !month_allowed) {
            return Err(shape);
        }
        let year: i32 = parts[0].parse().map_err(|_| shape.clone())?;
        let month: u8 = parts[1].parse().map_err(|_| shape.clone())?;
        if !(1..=12).contains(&month) {
            return Err(DateError::NoSuchMonth { month });
        }
        let day = match parts.get(2) {
            None => None,
            Some(d) => {
                let d: u8 = d.parse().map_err(|_| shape.clone())?;
                let last = days_in_month(year, month);
                if d == 0 || d > last {
                    return Err(DateError::NoSuchDay {
                        year,
                        month,
                        last,
                        day: d,
                    });
                }
                Some(d)
            }
        };
        Ok(Date { year, month, day })
    }

    /// The day this date stands for when checking "not later than": a month
    /// counts as its last day.
    pub fn latest_day(&self) -> (i32, u8, u8) {
        (
            self.year,
            self.month,
            self.day
                .unwrap_or_else(|| days_in_month(self.year, self.month)),
        )
    }

    /// The first day this date may stand for (a month as its first day).
    pub fn earliest_day(&self) -> (i32, u8, u8) {
        (self.year, self.month, self.day.unwrap_or(1))
    }

    /// `YYYYMMDD` of `latest_day`, for rules that compare dates as numbers.
    pub fn key(&self) -> i64 {
        let (y, m, d) = self.latest_day();
        y as i64 * 10_000 + m as i64 * 100 + d as i64
    }

    pub fn not_later_than(&self, other: &Date) -> bool {
        self.latest_day().cmp(&other.latest_day()) != Ordering::Greater
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self.day {
            Some(d) => write!(f, "{:04}-{:02}-{:02}", self.year, self.month, d),
            None => write!(f, "{:04}-{:02}", self.year, self.month),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_days_and_months() {
        assert_eq!(
            Date::parse("2025-03-01", false),
            Ok(Date {
                year: 2025,
                month: 3,
                day: Some(1)
            })
        );
        assert_eq!(
            Date::parse("2024-05", true),
            Ok(Date {
                year: 2024,
                month: 5,
                day: None
            })
        );
        assert_eq!(
            Date::parse("2024-02-29", false).unwrap().to_string(),
            "2024-02-29"
        );
    }

    #[test]
    fn rejects_impossible_dates() {
        assert!(Date::parse("2025-13-01", false)
            .unwrap_err()
            .contains("month 13"));
        assert!(Date::parse("2025-02-30", false)
            .unwrap_err()
            .contains("01–28"));
        assert!(Date::parse("2025-03", false)
            .unwrap_err()
            .contains("YYYY-MM-DD"));
        assert!(Date::parse("25-3-1", true).is_err());
        assert!(Date::parse("2025/03/01", true).is_err());
    }

    #[test]
    fn a_month_compares_as_its_last_day() {
        let month = Date::parse("2026-10", true).unwrap();
        let mid = Date::parse("2026-10-15", true).unwrap();
        let end = Date::parse("2026-10-31", true).unwrap();
        assert!(!month.not_later_than(&mid));
        assert!(month.not_later_than(&end));
        assert!(mid.not_later_than(&month));
        assert_eq!(month.key(), 20261031);
    }
}

impl Date {
    /// Today (UTC), from the system clock.
    pub fn today() -> Date {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        Date::from_days_since_epoch((secs / 86_400) as i64)
    }

    /// Civil date of a day count since 1970-01-01 (Howard Hinnant's algorithm).
    pub fn from_days_since_epoch(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date {
            year,
            month,
            day: Some(day),
        }
    }
}

#[cfg(test)]
mod today_tests {
    use super::*;

    #[test]
    fn civil_dates_from_day_counts() {
        assert_eq!(Date::from_days_since_epoch(0).to_string(), "1970-01-01");
        assert_eq!(
            Date::from_days_since_epoch(19_782).to_string(),
            "2024-02-29"
        );
        assert_eq!(
            Date::from_days_since_epoch(20_417).to_string(),
            "2025-11-25"
        );
    }
}
