//! Globs for waivers: `*` is any run of characters but `/`, `**` any run at
//! all, `?` one character but `/`; everything else is itself. Matched in
//! O(pattern × text), so no pattern can make a run slow.

#[derive(Clone, Copy, PartialEq, Eq)]
enum Token {
    Any,
    Star,
    DoubleStar,
    Char(char),
}

fn tokens(pattern: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        out.push(match c {
            '*' if chars.peek() == Some(&'*') => {
                chars.next();
                Token::DoubleStar
            }
            '*' => Token::Star,
            '?' => Token::Any,
            c => Token::Char(c),
        });
    }
    out
}

/// Whether `pattern` has any wildcard (else it is compared as it is).
pub fn is_glob(pattern: &str) -> bool {
    pattern.contains(['*', '?'])
}

/// Whether the whole of `text` matches `pattern`.
pub fn matches(pattern: &str, text: &str) -> bool {
    let (Some(first), Some(last)) = (pattern.find(['*', '?']), pattern.rfind(['*', '?'])) else {
        return pattern == text;
    };
    // The literal ends must match as they are: most texts fail here, cheaply.
    let (prefix, suffix) = (&pattern[..first], &pattern[last + 1..]);
    if !text.starts_with(prefix)
        || !text.ends_with(suffix)
        || text.len() < prefix.len() + suffix.len()
    {
        return false;
    }
    let pat = tokens(pattern);
    let text: Vec<char> = text.chars().collect();
    // row[j]: the tokens so far match text[..j].
    let mut row = vec![false; text.len() + 1];
    let mut next = vec![false; text.len() + 1];
    row[0] = true;
    for t in &pat {
        for j in 0..=text.len() {
            next[j] = match t {
                Token::Star => row[j] || (j > 0 && next[j - 1] && text[j - 1] != '/'),
                Token::DoubleStar => row[j] || (j > 0 && next[j - 1]),
                Token::Any => j > 0 && row[j - 1] && text[j - 1] != '/',
                Token::Char(c) => j > 0 && row[j - 1] && text[j - 1] == *c,
            };
        }
        std::mem::swap(&mut row, &mut next);
    }
    row[text.len()]
}

#[cfg(test)]
mod tests {
    use super::matches;

    #[test]
    fn stars_questions_and_literals() {
        assert!(matches("shiyan.*", "shiyan.nursing-bed-ratio"));
        assert!(!matches("shiyan.*", "taizhou.nursing-bed-ratio"));
        assert!(matches("*.medical-room", "honghe.medical-room"));
        assert!(matches("subs/*.yaml", "subs/阳光花园.yaml"));
        assert!(!matches("subs/*.yaml", "subs/2026/a.yaml"));
        assert!(matches("subs/**.yaml", "subs/2026/a.yaml"));
        assert!(matches("subs/**/a.yaml", "subs/2026/q1/a.yaml"));
        assert!(matches("a?c", "abc"));
        assert!(!matches("a?c", "a/c"));
        assert!(matches("exact", "exact"));
        assert!(!matches("exact", "exactly"));
        assert!(matches("*", ""));
        assert!(!matches("", "x"));
        assert!(matches("ab*ba", "abba"));
        assert!(!matches("ab*ba", "aba"));
        assert!(matches("a*", "a"));
        assert!(matches("?", "文"));
    }

    #[test]
    fn many_stars_stay_fast() {
        let text = "a".repeat(2000);
        assert!(!matches(&format!("{}b", "*a".repeat(50)), &text));
    }
}
