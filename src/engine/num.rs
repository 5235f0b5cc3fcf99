//! Exact numbers for rules. Every figure of a submission reaches a script as
//! a `Number`: an exact fraction of two integers. Areas, counts, ratios and
//! thresholds then compare exactly at any magnitude: 1 m² short is short
//! with 10¹² households, and 0.1 + 0.2 sits exactly on a 0.3 threshold.
//!
//! A figure is read back from the double the input stage holds as the
//! shortest decimal that round-trips to it, which is the decimal the person
//! wrote (up to 15 significant digits). A script's own literals (`20.0`,
//! `350`) are read the same way, so `20.0 * households / 100` is exact.
//! Arithmetic that would overflow 128 bits is a rule error, never a wrong
//! answer.

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

    /// The decimal a person wrote, recovered from its nearest double.
    pub fn from_f64(x: f64) -> Option<Num> {
        if !x.is_finite() {
            return None;
        }
        Num::parse_decimal(&format!("{x}"))
    }

    /// `123`, `-4.5`, `1e-7`: exactly.
    pub fn parse_decimal(text: &str) -> Option<Num> {
        let (mantissa, exponent) = match text.find(['e', 'E']) {
            Some(i) => (&text[..i], text[i + 1..].parse::<i32>().ok()?),
            None => (text, 0),
        };
        let (int_part, frac_part) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        let digits = format!("{int_part}{frac_part}");
        let mut num: i128 = digits.parse().ok()?;
        if int_part.starts_with('-') && num > 0 {
            num = -num;
        }
        let scale = exponent - frac_part.len() as i32;
        let pow = |e: i32| 10i128.checked_pow(e.unsigned_abs());
        if scale >= 0 {
            Num::new(num.checked_mul(pow(scale)?)?, 1)
        } else {
            Num::new(num, pow(-scale)?)
        }
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
    pub fn to_f64(self) -> f64 {
        self.num as f64 / self.den as f64
    }

    /// Written as people write it: exact when it is a short decimal, else
    /// rounded to `places` decimals.
    pub fn written(self, places: usize) -> String {
        let (mut d, mut twos, mut fives) = (self.den, 0u32, 0u32);
        while d % 2 == 0 {
            d /= 2;
            twos += 1;
        }
        while d % 5 == 0 {
            d /= 5;
            fives += 1;
        }
        let decimals = twos.max(fives);
        if d == 1 && decimals as usize <= places.max(6) {
            // A terminating decimal: print it exactly.
            let scaled = self.num * (10i128.pow(decimals) / self.den);
            return decimal_text(scaled, decimals as usize);
        }
        let scale = 10i128.pow(places as u32);
        let rounded = self
            .num
            .checked_mul(scale * 2)
            .and_then(|x| x.checked_add(self.den * self.num.signum()))
            .map(|x| x / (2 * self.den));
        match rounded {
            Some(scaled) => decimal_text(scaled, places),
            None => format!("{:.places$}", self.to_f64()),
        }
    }
}

/// `scaled / 10^decimals`, trailing zeros dropped.
fn decimal_text(scaled: i128, decimals: usize) -> String {
    let neg = scaled < 0;
    let digits = scaled.unsigned_abs().to_string();
    let digits = format!("{digits:0>width$}", width = decimals + 1);
    let (int, frac) = digits.split_at(digits.len() - decimals);
    let frac = frac.trim_end_matches('0');
    let sign = if neg { "-" } else { "" };
    if frac.is_empty() {
        format!("{sign}{int}")
    } else {
        format!("{sign}{int}.{frac}")
    }
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
    }
}
