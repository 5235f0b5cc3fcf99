//! Every field of the submission format, old and new, refuses a bad value
//! with a located error: the error underlines exactly the value written.

use peitao::input::format::{self, Field, Ty};
use peitao::input::{parse_submission, Limits};

/// Where a table's fields are written: the lines before the field, its indent.
fn place(table: &[Field]) -> (&'static str, &'static str) {
    let tables: [(&[Field], &str, &str); 9] = [
        (format::SUBMISSION, "submission:\n", "  "),
        (format::ESTATE, "estate:\n", "  "),
        (format::SCHEDULE, "estate:\n  schedule:\n", "    "),
        (format::FACILITY, "facilities:\n  - id: X1\n", "    "),
        (format::INSTITUTION, "institutions:\n  - id: X1\n", "    "),
        (format::HOSPITAL, "hospitals:\n  - id: X1\n", "    "),
        (format::VENUE, "venues:\n  - id: X1\n", "    "),
        (format::REGION, "region:\n", "  "),
        (format::INDICATORS, "region:\n  indicators:\n", "    "),
    ];
    let (_, head, indent) = tables
        .iter()
        .find(|(t, _, _)| std::ptr::eq(*t, table))
        .expect("every table has a place");
    (head, indent)
}

/// Values of the field's type that peitao must refuse, with the error code.
fn bad_values(ty: Ty) -> Vec<(&'static str, &'static str)> {
    match ty {
        Ty::Text => vec![("[1, 2]", "wrong-type")],
        Ty::Count => vec![
            ("-3", "negative"),
            ("1.5", "not-integer"),
            ("many", "wrong-type"),
        ],
        Ty::Area => vec![("3 acres", "bad-unit"), ("-5 m²", "negative")],
        Ty::Distance => vec![("3 m²", "bad-unit")],
        Ty::Bool => vec![("maybe", "wrong-type")],
        Ty::Date => vec![("2025-02-30", "bad-date")],
        Ty::Month => vec![("2025-13", "bad-date")],
        Ty::Year => vec![("1800", "too-big")],
        Ty::Percent => vec![
            ("120%", "out-of-range"),
            ("55", "out-of-range"),
            ("-5%", "negative"),
            ("half", "wrong-type"),
            ("true", "wrong-type"),
        ],
        Ty::Level(_) => vec![
            ("六级", "out-of-range"),
            ("0", "out-of-range"),
            ("三级医院", "wrong-type"),
        ],
        Ty::Enum(_) => vec![("nonsense", "unknown-value")],
        Ty::Nested(_) => vec![("7", "not-a-mapping")],
    }
}

#[test]
fn every_field_refuses_a_bad_value_where_it_is_written() {
    let mut checked = 0;
    for table in format::TABLES {
        let (head, indent) = place(table);
        for field in table
            .iter()
            .filter(|f| f.name != "id" || head.starts_with("submission"))
        {
            for (bad, code) in bad_values(field.ty) {
                let text = format!("version: 1\n{head}{indent}{}: {bad}\n", field.name);
                let errors = parse_submission(&text, &Limits::default())
                    .expect_err(&format!("accepted {}: {bad}", field.name));
                assert_eq!(errors.len(), 1, "{text}\n{errors:#?}");
                let e = &errors[0];
                assert_eq!(e.code, code, "{text}\n{e:#?}");
                // A scalar is underlined whole; a flow list at its opening bracket.
                let at = &text[e.span.offset..e.span.offset + e.span.len];
                let value_at = text.rfind(bad).unwrap();
                assert!(
                    e.span.offset == value_at && (at == bad || bad.starts_with('[')),
                    "{}: error at {at:?}, not at the value\n{text}",
                    field.name
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 150, "only {checked} bad values tried");
}

#[test]
fn shares_and_grades_are_read_as_people_write_them() {
    let text = "version: 1\ninstitutions:\n  - grade: 三级\nhospitals:\n  - level: 三甲\n  - level: 2\nregion:\n  scope: city\n  indicators:\n    day_care_coverage: 90%\n    lottery_fund_share: 0.55\n    monthly_visit_rate: 100 %\n    elderly_volunteer_share: 7.16%\n";
    let s = parse_submission(text, &Limits::default()).unwrap();
    assert_eq!(s.institutions[0].int("grade"), Some(3));
    assert_eq!(s.hospitals[0].int("level"), Some(3));
    assert_eq!(s.hospitals[1].int("level"), Some(2));
    let region = s.region.as_ref().unwrap();
    assert_eq!(region.text("scope"), Some("city"));
    let Some(peitao::input::Value::Record(ind)) = region.get("indicators").map(|e| &e.value) else {
        panic!("indicators not a record")
    };
    let pct = |name| match ind.get(name).map(|e| &e.value) {
        Some(peitao::input::Value::Num(x)) => x.to_string(),
        other => panic!("{name}: {other:?}"),
    };
    assert_eq!(pct("day_care_coverage"), "90");
    assert_eq!(pct("lottery_fund_share"), "55");
    assert_eq!(pct("monthly_visit_rate"), "100");
    assert_eq!(pct("elderly_volunteer_share"), "7.16");
    let span = s.span_of("region.indicators.day_care_coverage").unwrap();
    assert_eq!(&text[span.offset..span.offset + span.len], "90%");
}

#[test]
fn new_parts_may_not_exceed_their_wholes() {
    for (text, part) in [
        (
            "version: 1\ninstitutions:\n  - beds: 10\n    inclusive_beds: 11\n",
            "11",
        ),
        (
            "version: 1\ninstitutions:\n  - staff: 10\n    trained_staff: 12\n",
            "12",
        ),
        (
            "version: 1\nhospitals:\n  - beds: 10\n    rehab_care_beds: 13\n",
            "13",
        ),
    ] {
        let errors = parse_submission(text, &Limits::default()).unwrap_err();
        assert_eq!(errors.len(), 1, "{errors:#?}");
        assert_eq!(errors[0].code, "exceeds-whole");
        assert_eq!(&text[errors[0].span.offset..][..errors[0].span.len], part);
    }
}
