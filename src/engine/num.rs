//! [`Num`] in rules: rhai's operators, comparisons and helpers on exact
//! numbers, and the rule errors (overflow, division by zero) they stop
//! with. The number itself is [`crate::base::num`].

use super::outcome::Stop;
pub use crate::base::num::{written_apart, DecimalError, Num};
use rhai::{Dynamic, Engine, EvalAltResult, FLOAT, INT};
use std::cmp::Ordering;

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
            Stop::said(crate::input::Msg::new("engine.division-by-zero").arg("a", a))
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
    Stop::said(crate::input::Msg::new("engine.overflow"))
}

fn from_float(x: FLOAT) -> Fallible<Num> {
    Num::from_f64(x).ok_or_else(|| format!("{x} is not a finite number").into())
}

/// A value of a rule's params (pack.yaml) as a script reads it: its
/// exact number, if it is one (`4.5` is exactly 4.5), and how a script's
/// message prints it (`35`, `4.5`, `20.0`). Templates compare and print
/// their params' figures through this, so that they read them as a rhai
/// template would.
pub struct Param {
    pub num: Option<Num>,
    pub shown: String,
}

/// A value of a rule's params as a script reads it, or why rhai cannot.
pub fn param(value: &serde_json::Value) -> Result<Param, String> {
    let v = rhai::serde::to_dynamic(value).map_err(|e| e.to_string())?;
    let shown = match v.read_lock::<Num>() {
        Some(n) => n.to_string(),
        None => v.to_string(),
    };
    Ok(Param {
        num: as_num(&v),
        shown,
    })
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
    let Some(whole) = n.as_whole() else {
        return Err(format!("{n} is not a whole number").into());
    };
    INT::try_from(whole).map_err(|_| overflow())
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
    #[test]
    fn params_print_as_a_script_printed_them() {
        let e = super::super::sandboxed_engine();
        for json in ["35", "4.5", "20.0", "true", "\"new\"", "[1, 2]"] {
            let value: serde_json::Value = serde_json::from_str(json).unwrap();
            let mut scope = rhai::Scope::new();
            scope.push_dynamic("x", rhai::serde::to_dynamic(&value).unwrap());
            let script: String = e.eval_with_scope(&mut scope, "`${x}`").unwrap();
            assert_eq!(super::param(&value).unwrap().shown, script, "{json}");
        }
        let four_and_a_half = super::param(&serde_json::from_str("4.5").unwrap()).unwrap();
        assert_eq!(four_and_a_half.num, super::Num::parse_decimal("4.5").ok());
    }

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
