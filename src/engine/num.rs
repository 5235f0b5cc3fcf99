//! Exact numbers for rules. Every figure of a submission reaches a script as
//! a `Number`: an exact fraction of two integers. Areas, counts, ratios and
//! thresholds then compare exactly at any magnitude: 1 m² short is short
//! with 10¹² households, and 0.1 + 0.2 sits exactly on a 0.3 threshold.
//!
//! A figure of a submission is read from the decimal text the person wrote
//! ([`Num::parse_decimal`]), never through a double: `319.99999999999999 m²`
//! stays short of 320. A number with more digits than 128 bits hold is an
//! input error, not a rounding. A script's own literals (`20.0`, `350`) are
//! doubles in rhai and are read back as the shortest decimal that
//! round-trips, which is the literal as written. Arithmetic that would
//! overflow 128 bits is a rule error, never a wrong answer; printing never
//! overflows (a terminating decimal prints in full, any other to its places).

use super::outcome::Stop;
use rhai::{Dynamic, Engine, EvalAltResult, FLOAT, INT};
use std::cmp::Ordering;
use std::fmt;

/// `num / den`, reduced, `den > 0`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Num {
    num: i128,
    den: i128,
}

type Fallible<T> = Result<T, Box<EvalAltResult>>;

const OVERFLOW: &str = "arithmetic overflow: a number is too large to compare exactly";

fn overflow() -> Box<EvalAltResult> {
    OVERFLOW.into()
}

/// `a op b` (`+`, `-`, `*`, `/`) as a rule computes it: exactly, or the
/// rule error it stops with (overflow, division by zero).
pub fn checked(op: &str, a: Num, b: Num) -> Result<Num, Stop> {
    let result = match op {
        "+" => a.add(b),
        "-" => a.sub(b),
        "*" => a.mul(b),
        "/" => a.div(b),
        _ => None,
    };
    result.ok_or_else(|| {
        if op == "/" && b.is_zero() {
            Stop::error(
                format!("除数为零: {a} / 0"),
                format!("division by zero: {a} / 0"),
            )
        } else {
            overflow_stop()
        }
    })
}

/// How `a` compares with `b`, or the rule error of an overflow.
pub fn order(a: Num, b: Num) -> Result<Ordering, Stop> {
    a.compare(b).ok_or_else(overflow_stop)
}

/// The rule error of a number too large to be exact.
fn overflow_stop() -> Stop {
    Stop::error("算术溢出: 数值过大, 无法精确比较", OVERFLOW)
}

fn gcd(mut a: i128, mut b: i128) -> i128 {
    a = a.abs();
    b = b.abs();
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

// `add`, `sub`, `mul`, `div` are checked: None on overflow, which the
// operator traits cannot say.
#[allow(clippy::should_implement_trait)]
impl Num {
    pub const ZERO: Num = Num { num: 0, den: 1 };

    pub fn int(i: i64) -> Num {
        Num {
            num: i as i128,
            den: 1,
        }
    }

    fn new(num: i128, den: i128) -> Option<Num> {
        if den == 0 {
            return None;
        }
        let g = gcd(num, den).max(1);
        let (mut num, mut den) = (num / g, den / g);
        if den < 0 {
            num = num.checked_neg()?;
            den = den.checked_neg()?;
        }
        Some(Num { num, den })
    }

    /// A whole number.
    pub fn whole(n: i128) -> Num {
        Num { num: n, den: 1 }
    }

    /// The decimal a script literal was written as, recovered from its
    /// nearest double (the shortest decimal that round-trips).
    pub fn from_f64(x: f64) -> Option<Num> {
        if !x.is_finite() {
            return None;
        }
        Num::parse_decimal(&format!("{x}")).ok()
    }

    /// `123`, `-4.5`, `.5`, `1e-7`, `319.99999999999999`: exactly as
    /// written. Leading zeros, trailing zeros of the fraction and the zeros
    /// an exponent stands for cost nothing while the value fits: the
    /// significant digits and the power of ten must each fit 128 bits
    /// (about 38 digits).
    pub fn parse_decimal(text: &str) -> Result<Num, DecimalError> {
        let (negative, unsigned) = match text.as_bytes().first() {
            Some(b'-') => (true, &text[1..]),
            Some(b'+') => (false, &text[1..]),
            _ => (false, text),
        };
        let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
            Some(i) => (&unsigned[..i], Some(&unsigned[i + 1..])),
            None => (unsigned, None),
        };
        let (int_part, frac_part) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if int_part.len() + frac_part.len() == 0 || !all_digits(int_part) || !all_digits(frac_part)
        {
            return Err(DecimalError::NotANumber);
        }
        let exponent: i64 = match exponent {
            None => 0,
            Some(e) => {
                let digits = e.strip_prefix(['+', '-']).unwrap_or(e);
                if digits.is_empty() || !all_digits(digits) {
                    return Err(DecimalError::NotANumber);
                }
                // More than 18 digits of exponent: far beyond 128 bits either way.
                e.parse().map_err(|_| DecimalError::TooLong)?
            }
        };
        // The significant digits, and the power of ten they are scaled by.
        let digits = format!("{int_part}{frac_part}");
        let digits = digits.trim_start_matches('0');
        let significant = digits.trim_end_matches('0');
        if significant.is_empty() {
            return Ok(Num::ZERO);
        }
        let trailing = (digits.len() - significant.len()) as i64;
        let scale = exponent
            .saturating_add(trailing)
            .saturating_sub(frac_part.len() as i64);
        let mut num: i128 = significant.parse().map_err(|_| DecimalError::TooLong)?;
        if negative {
            num = -num;
        }
        let pow = |e: i64| {
            u32::try_from(e.unsigned_abs())
                .ok()
                .and_then(|e| 10i128.checked_pow(e))
                .ok_or(DecimalError::TooLong)
        };
        let value = if scale >= 0 {
            num.checked_mul(pow(scale)?).map(Num::whole)
        } else {
            Num::new(num, pow(scale)?)
        };
        value.ok_or(DecimalError::TooLong)
    }

    pub fn add(self, o: Num) -> Option<Num> {
        let num = self
            .num
            .checked_mul(o.den)?
            .checked_add(o.num.checked_mul(self.den)?)?;
        Num::new(num, self.den.checked_mul(o.den)?)
    }
    pub fn sub(self, o: Num) -> Option<Num> {
        self.add(Num {
            num: o.num.checked_neg()?,
            den: o.den,
        })
    }
    pub fn mul(self, o: Num) -> Option<Num> {
        let (g1, g2) = (gcd(self.num, o.den).max(1), gcd(o.num, self.den).max(1));
        Num::new(
            (self.num / g1).checked_mul(o.num / g2)?,
            (self.den / g2).checked_mul(o.den / g1)?,
        )
    }
    pub fn div(self, o: Num) -> Option<Num> {
        if o.num == 0 {
            return None;
        }
        self.mul(Num {
            num: o.den,
            den: o.num,
        })
    }
    pub fn compare(self, o: Num) -> Option<Ordering> {
        Some(
            self.num
                .checked_mul(o.den)?
                .cmp(&o.num.checked_mul(self.den)?),
        )
    }
    pub fn floor(self) -> Num {
        Num {
            num: self.num.div_euclid(self.den),
            den: 1,
        }
    }
    pub fn ceiling(self) -> Num {
        let f = self.num.div_euclid(self.den);
        Num {
            num: if self.num.rem_euclid(self.den) == 0 {
                f
            } else {
                f + 1
            },
            den: 1,
        }
    }
    pub fn is_zero(self) -> bool {
        self.num == 0
    }

    /// Written as people write it: a terminating decimal (every figure of
    /// a submission, and what adds, subtracts and multiplies them) in full,
    /// as written; any other rounded half away from zero to `places`
    /// decimals. Exact at every magnitude: the digits come by long division,
    /// which cannot overflow.
    pub fn written(self, places: usize) -> String {
        let den = self.den.unsigned_abs();
        let magnitude = self.num.unsigned_abs();
        let mut whole = magnitude / den;
        let mut rem = magnitude % den;
        let mut rest = den;
        for p in [2, 5] {
            while rest.is_multiple_of(p) {
                rest /= p;
            }
        }
        let mut decimals: Vec<u8> = Vec::new();
        if rest == 1 {
            // At most 127 digits: the denominator is 2^a·5^b < 2^127.
            while rem != 0 {
                let (digit, r) = times_ten(rem, den);
                decimals.push(digit);
                rem = r;
            }
        } else {
            for _ in 0..places {
                let (digit, r) = times_ten(rem, den);
                decimals.push(digit);
                rem = r;
            }
            // Half or more of the next place rounds up (2·rem < 2^128).
            if rem * 2 >= den {
                let mut carry = true;
                for d in decimals.iter_mut().rev() {
                    if *d == 9 {
                        *d = 0;
                    } else {
                        *d += 1;
                        carry = false;
                        break;
                    }
                }
                if carry {
                    whole += 1;
                }
            }
        }
        while decimals.last() == Some(&0) {
            decimals.pop();
        }
        let zero = whole == 0 && decimals.is_empty();
        let mut text = String::new();
        if self.num < 0 && !zero {
            text.push('-');
        }
        text.push_str(&whole.to_string());
        if !decimals.is_empty() {
            text.push('.');
            text.extend(decimals.iter().map(|&d| char::from(b'0' + d)));
        }
        text
    }
}

/// Why the text of a number is not a [`Num`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DecimalError {
    /// Not a decimal number at all.
    NotANumber,
    /// More digits (or a larger power of ten) than 128 bits hold exactly.
    TooLong,
}

/// `(10·rem) / den` and `(10·rem) % den` for `rem < den`, without forming
/// `10·rem` (which may not fit 128 bits): ten modular additions.
fn times_ten(rem: u128, den: u128) -> (u8, u128) {
    let (mut digit, mut acc) = (0u8, 0u128);
    for _ in 0..10 {
        // acc + rem, taken modulo den; acc, rem < den.
        if acc >= den - rem {
            acc -= den - rem;
            digit += 1;
        } else {
            acc += rem;
        }
    }
    (digit, acc)
}

impl fmt::Display for Num {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.written(2))
    }
}

/// `x` with as many decimals as it takes to tell it from `limit`: 4.4975
/// against 4.5 is `4.4975`, not a confusing `4.5 < 4.5`.
pub fn written_apart(x: Num, limit: Num) -> String {
    (2..=6)
        .map(|p| x.written(p))
        .find(|s| *s != limit.written(6))
        .unwrap_or_else(|| x.written(6))
}

fn from_float(x: FLOAT) -> Fallible<Num> {
    Num::from_f64(x).ok_or_else(|| format!("{x} is not a finite number").into())
}

/// Any numeric rhai value as a `Num`.
pub fn as_num(v: &Dynamic) -> Option<Num> {
    if let Some(n) = v.read_lock::<Num>() {
        return Some(*n);
    }
    if let Ok(i) = v.as_int() {
        return Some(Num::int(i));
    }
    v.as_float().ok().and_then(Num::from_f64)
}

fn to_int(n: Num) -> Fallible<INT> {
    if n.den != 1 {
        return Err(format!("{n} is not a whole number").into());
    }
    INT::try_from(n.num).map_err(|_| overflow())
}

/// Teach the engine `Number`: arithmetic and comparison with itself, with
/// integers and with floats, in either order.
pub fn register(e: &mut Engine) {
    e.register_type_with_name::<Num>("Number");

    macro_rules! arith {
        ($op:literal) => {
            e.register_fn($op, |a: Num, b: Num| -> Fallible<Num> {
                Ok(checked($op, a, b)?)
            });
            e.register_fn($op, |a: Num, b: INT| -> Fallible<Num> {
                Ok(checked($op, a, Num::int(b))?)
            });
            e.register_fn($op, |a: INT, b: Num| -> Fallible<Num> {
                Ok(checked($op, Num::int(a), b)?)
            });
            e.register_fn($op, |a: Num, b: FLOAT| -> Fallible<Num> {
                Ok(checked($op, a, from_float(b)?)?)
            });
            e.register_fn($op, |a: FLOAT, b: Num| -> Fallible<Num> {
                Ok(checked($op, from_float(a)?, b)?)
            });
        };
    }
    arith!("+");
    arith!("-");
    arith!("*");
    arith!("/");

    macro_rules! compare {
        ($op:literal, $test:expr) => {
            e.register_fn($op, |a: Num, b: Num| -> Fallible<bool> {
                Ok($test(a.compare(b).ok_or_else(overflow)?))
            });
            e.register_fn($op, |a: Num, b: INT| -> Fallible<bool> {
                Ok($test(a.compare(Num::int(b)).ok_or_else(overflow)?))
            });
            e.register_fn($op, |a: INT, b: Num| -> Fallible<bool> {
                Ok($test(Num::int(a).compare(b).ok_or_else(overflow)?))
            });
            e.register_fn($op, |a: Num, b: FLOAT| -> Fallible<bool> {
                Ok($test(a.compare(from_float(b)?).ok_or_else(overflow)?))
            });
            e.register_fn($op, |a: FLOAT, b: Num| -> Fallible<bool> {
                Ok($test(from_float(a)?.compare(b).ok_or_else(overflow)?))
            });
        };
    }
    compare!("==", |o: Ordering| o.is_eq());
    compare!("!=", |o: Ordering| o.is_ne());
    compare!("<", |o: Ordering| o.is_lt());
    compare!("<=", |o: Ordering| o.is_le());
    compare!(">", |o: Ordering| o.is_gt());
    compare!(">=", |o: Ordering| o.is_ge());

    e.register_fn("-", |a: Num| -> Fallible<Num> {
        Num::ZERO.sub(a).ok_or_else(overflow)
    });
    for name in ["max", "min"] {
        let pick_max = name == "max";
        let pick = move |a: Num, b: Num| -> Fallible<Num> {
            let o = a.compare(b).ok_or_else(overflow)?;
            Ok(if o.is_ge() == pick_max { a } else { b })
        };
        e.register_fn(name, pick);
        e.register_fn(name, move |a: Num, b: INT| pick(a, Num::int(b)));
        e.register_fn(name, move |a: INT, b: Num| pick(Num::int(a), b));
        e.register_fn(name, move |a: Num, b: FLOAT| pick(a, from_float(b)?));
        e.register_fn(name, move |a: FLOAT, b: Num| pick(from_float(a)?, b));
    }
    e.register_fn("ceiling", |a: Num| a.ceiling());
    e.register_fn("floor", |a: Num| a.floor());
    e.register_fn("to_int", to_int);
    e.register_fn("is_zero", |a: Num| a.is_zero());
    e.register_fn("to_string", |a: &mut Num| a.to_string());
    e.register_fn("to_debug", |a: &mut Num| a.to_string());
    e.register_fn("fmt", |a: Num| a.to_string());
    e.register_fn("fmt", |a: INT| a.to_string());
    e.register_fn("fmt", |a: FLOAT| -> Fallible<String> {
        Ok(from_float(a)?.to_string())
    });
    e.register_fn(
        "fmt_apart",
        |x: Dynamic, limit: Dynamic| -> Fallible<String> {
            let n = |v: &Dynamic| {
                as_num(v).ok_or_else(|| -> Box<EvalAltResult> {
                    format!("fmt_apart: expected a number, found {}", v.type_name()).into()
                })
            };
            Ok(written_apart(n(&x)?, n(&limit)?))
        },
    );
    e.register_fn("number", |a: INT| Num::int(a));
    e.register_fn("number", |a: FLOAT| from_float(a));
    e.register_fn("number", |a: Num| a);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> Num {
        Num::parse_decimal(s).unwrap()
    }

    #[test]
    fn decimals_are_exact() {
        assert_eq!(n("0.1").add(n("0.2")), Some(n("0.3")));
        assert_eq!(Num::from_f64(0.1 + 0.2).unwrap(), n("0.30000000000000004"));
        assert_eq!(Num::from_f64(319.1).unwrap(), n("319.1"));
        assert_eq!(Num::from_f64(400.0).unwrap(), Num::int(400));
        assert_eq!(n("1e-7").mul(Num::int(10_000_000)), Some(Num::int(1)));
        assert_eq!(n("-4.5").written(2), "-4.5");
    }

    #[test]
    fn large_magnitudes_still_tell_one_short() {
        // 20 m² per 100 households of 10¹² households is 2·10¹¹ m².
        let required = Num::int(20)
            .mul(Num::int(1_000_000_000_000))
            .unwrap()
            .div(Num::int(100))
            .unwrap();
        let provided = required.sub(Num::int(100)).unwrap();
        assert_eq!(provided.compare(required), Some(Ordering::Less));
    }

    #[test]
    fn written_like_people_write() {
        assert_eq!(Num::int(520).to_string(), "520");
        assert_eq!(n("519.5").to_string(), "519.5");
        assert_eq!(Num::int(200).div(Num::int(3)).unwrap().to_string(), "66.67");
        assert_eq!(written_apart(n("4.4975"), n("4.5")), "4.4975".to_string());
        assert_eq!(written_apart(n("59.97"), Num::int(60)), "59.97");
        assert_eq!(n("0.125").written(2), "0.125");
        assert_eq!(Num::ZERO.sub(Num::ZERO).unwrap().to_string(), "0");
    }

    #[test]
    fn quantities_are_read_exactly_from_their_text() {
        // Through a double, 319.99999999999999 is 320 and passes a 320 m² floor.
        let short = n("319.99999999999999");
        assert_eq!(short.compare(Num::int(320)), Some(Ordering::Less));
        assert_eq!(short.to_string(), "319.99999999999999");
        assert_eq!(n("519.9999999999999").to_string(), "519.9999999999999");
        assert_eq!(n(".5"), n("0.5"));
        assert_eq!(n("+7"), Num::int(7));
        assert_eq!(n("1.5e3"), Num::int(1500));
        assert_eq!(n("12e-1"), n("1.2"));
        assert_eq!(n("0e999999"), Num::ZERO);
        assert_eq!(n("-0.0").to_string(), "0");
        // Zeros that only pad cost nothing; 38 significant digits fit.
        assert_eq!(
            n("000120.5000000000000000000000000000000000000000"),
            n("120.5")
        );
        assert_eq!(n("1e30").mul(n("1e-30")), Some(Num::int(1)));
        let digits38 = "12345678901234567890.123456789012345678";
        assert_eq!(n(digits38).to_string(), digits38);
        for too_long in [
            "123456789012345678901234567890123456789012",
            "1e39",
            "1e-39",
            "1e99999999999999999999",
            "0.1234567890123456789012345678901234567891",
        ] {
            assert_eq!(
                Num::parse_decimal(too_long),
                Err(DecimalError::TooLong),
                "{too_long}"
            );
        }
        for not in [
            "", ".", "-", "+", "1.2.3", "1e", "e5", "1e+", "--1", "+-1", "1.-5", "1_000", " 1",
            "inf", "NaN", "0x10", "1e5.5",
        ] {
            assert_eq!(
                Num::parse_decimal(not),
                Err(DecimalError::NotANumber),
                "{not:?}"
            );
        }
    }

    #[test]
    fn printing_never_overflows() {
        // (10^38 + 1) / 64 used to print a negative number (an i128 overflow).
        let big = Num::whole(10i128.pow(38) + 1).div(Num::int(64)).unwrap();
        assert_eq!(
            big.to_string(),
            "1562500000000000000000000000000000000.015625"
        );
        let max = Num::whole(i128::MAX);
        assert_eq!(max.to_string(), i128::MAX.to_string());
        assert_eq!(
            Num::whole(i128::MIN + 1).to_string(),
            (i128::MIN + 1).to_string()
        );
        // The smallest step 128 bits hold, in full (127 decimals).
        let tiny = Num::int(1).div(Num::whole(1i128 << 126)).unwrap();
        let text = tiny.to_string();
        assert!(
            text.starts_with("0.0000000000000000000000000000000000000117549435"),
            "{text}"
        );
        assert_eq!(text.len(), 2 + 126);
        // A huge denominator that does not terminate: rounded, not wrapped.
        let third = Num::whole(i128::MAX / 3)
            .div(Num::whole(i128::MAX))
            .unwrap();
        assert_eq!(third.to_string(), "0.33");
        let nearly = Num::whole(i128::MAX - 1)
            .div(Num::whole(i128::MAX))
            .unwrap();
        assert_eq!(nearly.written(2), "1");
        assert_eq!(Num::ZERO.sub(nearly).unwrap().written(2), "-1");
        assert_eq!(
            n("-0.001")
                .mul(Num::int(1))
                .unwrap()
                .div(Num::int(3))
                .unwrap()
                .written(2),
            "0"
        );
        assert_eq!(Num::int(2).div(Num::int(3)).unwrap().written(0), "1");
        assert_eq!(Num::int(-5).div(Num::int(6)).unwrap().written(1), "-0.8");
    }

    #[test]
    fn rounding_and_whole_numbers() {
        assert_eq!(n("1.8").ceiling(), Num::int(2));
        assert_eq!(Num::int(2).ceiling(), Num::int(2));
        assert_eq!(n("1.8").floor(), Num::int(1));
        assert_eq!(n("-1.5").floor(), Num::int(-2));
        assert!(to_int(n("1.5")).is_err());
    }

    #[test]
    fn scripts_compute_exactly() {
        let mut e = Engine::new();
        register(&mut e);
        let mut scope = rhai::Scope::new();
        scope.push("a", n("0.1"));
        scope.push("b", n("0.2"));
        assert!(e
            .eval_with_scope::<bool>(&mut scope, "a + b == 0.3 && a + b >= 0.3 && !(a + b > 0.3)")
            .unwrap());
        scope.push("h", Num::int(2600));
        assert_eq!(
            e.eval_with_scope::<String>(&mut scope, "fmt(max(20.0 * h / 100, 350))")
                .unwrap(),
            "520"
        );
        assert!(e
            .eval_with_scope::<bool>(&mut scope, "h / 100.0 > 25")
            .unwrap());
        assert!(e.eval_with_scope::<Num>(&mut scope, "h / 0").is_err());
        // 10^38 + 1 built in a script, then a 64th of it: printed exactly.
        assert_eq!(
            e.eval::<String>("let t = number(1000000000000000000) * 10; fmt((t * t + 1) / 64)")
                .unwrap(),
            "1562500000000000000000000000000000000.015625"
        );
    }
}
