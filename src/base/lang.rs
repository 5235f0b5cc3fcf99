//! The reader's language and texts written in both.

/// Output language of titles and messages (clause quotes stay Chinese).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Lang {
    Zh,
    #[default]
    En,
}

impl Lang {
    /// Of a pair of words, the one in this language: the one place a
    /// language chooses between texts (the catalogue's render and a
    /// text given in both).
    pub fn pick<'a, T: ?Sized>(self, zh: &'a T, en: &'a T) -> &'a T {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }

    /// zh* in `LANG` (or `LC_ALL`) means Chinese, anything else English.
    pub fn from_env() -> Lang {
        let lang = std::env::var("LC_ALL")
            .ok()
            .filter(|v| !v.is_empty())
            .or_else(|| std::env::var("LANG").ok());
        match lang {
            Some(v) if v.to_ascii_lowercase().starts_with("zh") => Lang::Zh,
            _ => Lang::En,
        }
    }
}

/// A text in both languages.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Text {
    pub zh: String,
    pub en: String,
}

impl Text {
    pub fn get(&self, lang: Lang) -> &str {
        lang.pick(&self.zh, &self.en)
    }
}
