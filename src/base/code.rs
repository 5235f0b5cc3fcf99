//! Every code peitao reports that is not a rule's id, one enum per stage:
//! a code not declared here does not compile, and each has its string id
//! (stable: `input::bad-date` in every output), its default level and,
//! in the catalogue (`code.<stage>::<id>`), what it means in both
//! languages for docs/codes.md and SARIF's rule descriptors. The model is
//! cargo-deny's per-check diagnostic codes.

use std::fmt;

/// How loud a code is by default.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    Error,
    Warning,
    Note,
}

impl Level {
    /// The level's name in SARIF (`error`, `warning`, `note`).
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Note => "note",
        }
    }
}

macro_rules! level {
    () => {
        Level::Error
    };
    ($l:ident) => {
        Level::$l
    };
}

macro_rules! codes {
    ($(#[$doc:meta])* $name:ident = $stage:literal {
        $($(#[$vdoc:meta])* $var:ident = $id:literal $(($level:ident))?,)*
    }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vdoc])* $var,)*
        }

        impl $name {
            /// Every code of the stage, in the order docs/codes.md lists them.
            pub const ALL: &'static [$name] = &[$($name::$var,)*];
            /// The ids without the stage (`bad-date`).
            pub const IDS: &'static [&'static str] = &[$($id,)*];
            /// The codes as every output writes them (`input::bad-date`).
            pub const QUALIFIED: &'static [&'static str] = &[$(concat!($stage, "::", $id),)*];
            /// The stage, as codes are written: `input` of `input::bad-date`.
            pub const STAGE: &'static str = $stage;

            /// The id without the stage (`bad-date`).
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$var => $id,)*
                }
            }

            /// The code as every output writes it (`input::bad-date`).
            pub fn qualified(self) -> &'static str {
                match self {
                    $($name::$var => concat!($stage, "::", $id),)*
                }
            }

            pub fn level(self) -> Level {
                match self {
                    $($name::$var => level!($($level)?),)*
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.as_str() == *other
            }
        }
    };
}

codes! {
    /// Why a submission is not valid (exit 2): `input::…`.
    InputCode = "input" {
        YamlSyntax = "yaml-syntax",
        DuplicateKey = "duplicate-key",
        TooComplex = "too-complex",
        MultipleDocuments = "multiple-documents",
        UnsupportedTag = "unsupported-tag",
        TooLarge = "too-large",
        NotUtf8 = "not-utf8",
        NotAMapping = "not-a-mapping",
        MissingVersion = "missing-version",
        UnsupportedVersion = "unsupported-version",
        UnknownKey = "unknown-key",
        WrongType = "wrong-type",
        NotInteger = "not-integer",
        Negative = "negative",
        NotFinite = "not-finite",
        TooBig = "too-big",
        TooPrecise = "too-precise",
        BadUnit = "bad-unit",
        BadDate = "bad-date",
        OutOfRange = "out-of-range",
        UnknownValue = "unknown-value",
        ExceedsWhole = "exceeds-whole",
        DuplicateId = "duplicate-id",
        TooManyRecords = "too-many-records",
        BadWorkbook = "bad-workbook",
        UnknownJurisdiction = "unknown-jurisdiction",
        NoPlanInForce = "no-plan-in-force",
        FiledInFuture = "filed-in-future",
        YearInFuture = "year-in-future",
        DuplicateSubmissionId = "duplicate-submission-id",
        /// A plan the file is judged by did not load (its pack has errors).
        PlanNotLoaded = "plan-not-loaded",
    }
}

codes! {
    /// A command line that cannot run (exit 2): `usage::…`.
    UsageCode = "usage" {
        UnknownPlan = "unknown-plan",
        UnknownRule = "unknown-rule",
        NoEffect = "no-effect",
        NoPacks = "no-packs",
        UnknownOption = "unknown-option",
        UnknownCommand = "unknown-command",
        InvalidValue = "invalid-value",
        MissingValue = "missing-value",
        MissingArgument = "missing-argument",
        Conflict = "conflict",
        BadArguments = "bad-arguments",
    }
}

codes! {
    /// A rule pack that does not load (exit 2): `plan::…`.
    PlanCode = "plan" {
        Unreadable = "unreadable",
        NotAFile = "not-a-file",
        OutsidePack = "outside-pack",
        TooLarge = "too-large",
        NotUtf8 = "not-utf8",
        NoPacks = "no-packs",
        BadManifest = "bad-manifest",
        BadDate = "bad-date",
        BadReplaces = "bad-replaces",
        ReplaceNotAllowed = "replace-not-allowed",
        DuplicatePack = "duplicate-pack",
        MissingSeed = "missing-seed",
        MissingData = "missing-data",
        BadData = "bad-data",
        EmptyPack = "empty-pack",
        DuplicateRule = "duplicate-rule",
        BadRule = "bad-rule",
        ClauseNotInSeed = "clause-not-in-seed",
        BadTemplate = "bad-template",
        ScriptSyntax = "script-syntax",
        ScriptError = "script-error",
        TooComplex = "too-complex",
        BadMetadata = "bad-metadata",
        BadFunction = "bad-function",
    }
}

codes! {
    /// A problem with `peitao.toml` (exit 2, or a warning): `config::…`.
    ConfigCode = "config" {
        TomlSyntax = "toml-syntax",
        UnknownKey = "unknown-key",
        WrongType = "wrong-type",
        Negative = "negative",
        UnknownValue = "unknown-value",
        BadDate = "bad-date",
        Empty = "empty",
        MissingField = "missing-field",
        /// The run goes on without what it names.
        InsideCheckedTree = "inside-checked-tree" (Warning),
        ReportPath = "report-path",
        UnboundWaiver = "unbound-waiver",
        BadDigest = "bad-digest",
    }
}

codes! {
    /// A note the human report writes itself: `report::…`.
    ReportCode = "report" {
        RegionFiguresMissing = "region-figures-missing" (Warning),
    }
}

/// Any code of any stage.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Code {
    Input(InputCode),
    Usage(UsageCode),
    Plan(PlanCode),
    Config(ConfigCode),
    Report(ReportCode),
}

impl Code {
    /// Every code, stage by stage.
    pub fn all() -> impl Iterator<Item = Code> {
        let input = InputCode::ALL.iter().map(|&c| Code::Input(c));
        let usage = UsageCode::ALL.iter().map(|&c| Code::Usage(c));
        let plan = PlanCode::ALL.iter().map(|&c| Code::Plan(c));
        let config = ConfigCode::ALL.iter().map(|&c| Code::Config(c));
        let report = ReportCode::ALL.iter().map(|&c| Code::Report(c));
        input.chain(usage).chain(plan).chain(config).chain(report)
    }

    /// The id without the stage (`bad-date`).
    pub fn as_str(self) -> &'static str {
        match self {
            Code::Input(c) => c.as_str(),
            Code::Usage(c) => c.as_str(),
            Code::Plan(c) => c.as_str(),
            Code::Config(c) => c.as_str(),
            Code::Report(c) => c.as_str(),
        }
    }

    /// The code as every output writes it (`input::bad-date`).
    pub fn qualified(self) -> &'static str {
        match self {
            Code::Input(c) => c.qualified(),
            Code::Usage(c) => c.qualified(),
            Code::Plan(c) => c.qualified(),
            Code::Config(c) => c.qualified(),
            Code::Report(c) => c.qualified(),
        }
    }

    pub fn level(self) -> Level {
        match self {
            Code::Input(c) => c.level(),
            Code::Usage(c) => c.level(),
            Code::Plan(c) => c.level(),
            Code::Config(c) => c.level(),
            Code::Report(c) => c.level(),
        }
    }
}

impl From<InputCode> for Code {
    fn from(c: InputCode) -> Code {
        Code::Input(c)
    }
}
impl From<UsageCode> for Code {
    fn from(c: UsageCode) -> Code {
        Code::Usage(c)
    }
}
impl From<PlanCode> for Code {
    fn from(c: PlanCode) -> Code {
        Code::Plan(c)
    }
}
impl From<ConfigCode> for Code {
    fn from(c: ConfigCode) -> Code {
        Code::Config(c)
    }
}
impl From<ReportCode> for Code {
    fn from(c: ReportCode) -> Code {
        Code::Report(c)
    }
}

/// The id without the stage, as [`InputError`](crate::input::InputError)'s
/// code has always printed (`input::{code}` adds the stage).
impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qualified_ids_are_unique_and_well_formed() {
        let mut seen = std::collections::HashSet::new();
        for code in Code::all() {
            let q = code.qualified();
            assert!(seen.insert(q), "{q} twice");
            let (stage, id) = q.split_once("::").expect("stage::id");
            assert_eq!(id, code.as_str());
            assert!(["input", "usage", "plan", "config", "report"].contains(&stage));
            assert!(
                id.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "{q} is not kebab-case"
            );
        }
        assert_eq!(seen.len(), 31 + 11 + 24 + 12 + 1);
    }
}
