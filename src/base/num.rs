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

use std::cmp::Ordering;
use std::fmt;

/// `num / den`, reduced, `den > 0`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Num {
    num: i128,
    den: i128,
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
        // The significant digits, and the power of ten they are scaled by,
        // read from both parts in place (no joined copy).
        let digits = || int_part.bytes().chain(frac_part.bytes());
        let leading = digits().take_while(|&b| b == b'0').count();
        if leading == int_part.len() + frac_part.len() {
            return Ok(Num::ZERO);
        }
        let trailing = digits().rev().take_while(|&b| b == b'0').count();
        let significant = int_part.len() + frac_part.len() - leading - trailing;
        let scale = exponent
            .saturating_add(trailing as i64)
            .saturating_sub(frac_part.len() as i64);
        let mut num = digits()
            .skip(leading)
            .take(significant)
            .try_fold(0i128, |n, b| {
                n.checked_mul(10)?.checked_add(i128::from(b - b'0'))
            })
            .ok_or(DecimalError::TooLong)?;
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
    /// The number as an integer when it is whole.
    pub fn as_whole(self) -> Option<i128> {
        (self.den == 1).then_some(self.num)
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
