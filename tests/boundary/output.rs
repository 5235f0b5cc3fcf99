//! See tests/boundary.rs.

use crate::common::{peitao, tempdir};
use std::path::{Path, PathBuf};

/// examples/shiyan-compliant.yaml with `from` replaced by `to` (which must
/// occur), written to a fresh directory as `name`.
fn shiyan_with(test: &str, name: &str, edits: &[(&str, &str)]) -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut text = std::fs::read_to_string(root.join("examples/shiyan-compliant.yaml")).unwrap();
    for (from, to) in edits {
        assert!(text.contains(from), "{from}");
        text = text.replacen(from, to, 1);
    }
    let path = tempdir(test).join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn path_str(p: &Path) -> &str {
    p.to_str().unwrap()
}

// ---- issue 21: every quantity exactly as written ----

/// The new estate needs 20 m² a hundred households of its 2600: 520 m².
const ELDERLY_SPACE: &str = "floor_area: 520 m²  ";

#[test]
fn a_quantity_one_ten_quadrillionth_short_is_short_and_printed_as_written() {
    // Through a double, 519.99999999999999 is 520 and the estate passed.
    for written in [
        "519.99999999999999 m²",
        "519.99999999999999",
        "519.9999999999999 m²",
    ] {
        let file = shiyan_with(
            "exact-short",
            "f.yaml",
            &[(ELDERLY_SPACE, &format!("floor_area: {written}  "))],
        );
        let (out, _, code) = peitao(&["check", path_str(&file), "--lang", "en"]);
        assert_eq!(code, 1, "{written}: {out}");
        let shown = written.trim_end_matches(" m²");
        assert!(
            out.contains(&format!("elderly-service space {shown} m² < 520 m²")),
            "{written}: {out}"
        );
        let (zh, _, _) = peitao(&["check", path_str(&file), "--lang", "zh"]);
        assert!(
            zh.contains(&format!("养老服务用房 {shown} m² < 应有 520 m²")),
            "{zh}"
        );
    }
    // Exactly the standard still holds (不低于 includes it), however written.
    for written in ["520.00000000000000000 m²", "5.2e2", "0.052万㎡"] {
        let file = shiyan_with(
            "exact-equal",
            "f.yaml",
            &[(ELDERLY_SPACE, &format!("floor_area: {written}  "))],
        );
        let (out, _, code) = peitao(&["check", path_str(&file), "--lang", "en"]);
        assert_eq!(code, 0, "{written}: {out}");
    }
}

#[test]
fn a_share_and_an_alias_are_read_exactly_too() {
    let file = shiyan_with(
        "exact-share",
        "f.yaml",
        &[
            ("lottery_fund_share: 55%", "lottery_fund_share: 54.999999999999999999%"),
            // An alias of a bare number is read from the anchored text.
            (
                "facilities:\n",
                "facilities:\n  - id: F0\n    kind: childcare\n    floor_area: &short 519.99999999999999\n",
            ),
            (ELDERLY_SPACE, "floor_area: *short  "),
        ],
    );
    let (out, _, code) = peitao(&["check", path_str(&file), "--lang", "en"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("elderly care is 54.999999999999999999%; the plan's target is at least 55%"),
        "{out}"
    );
    assert!(
        out.contains("elderly-service space 519.99999999999999 m² < 520 m²"),
        "{out}"
    );
}

#[test]
fn a_number_too_long_to_hold_exactly_is_refused_where_it_is_written() {
    for written in [
        "5199999999999999999999999999999999999.99 m²",
        "0.0000000000000000000000000000000000000001",
        "1e39",
    ] {
        let file = shiyan_with(
            "too-precise",
            "f.yaml",
            &[(ELDERLY_SPACE, &format!("floor_area: {written}  "))],
        );
        let (out, _, code) = peitao(&["check", path_str(&file), "--lang", "en"]);
        assert_eq!(code, 2, "{written}: {out}");
        assert!(out.contains("input::too-precise"), "{out}");
        assert!(
            out.contains(&format!(
                "floor_area `{written}` has more digits than can be checked"
            )),
            "{out}"
        );
        assert!(out.contains("f.yaml:21:17]"), "{out}");
        let (zh, _, _) = peitao(&["check", path_str(&file), "--lang", "zh"]);
        assert!(
            zh.contains(&format!(
                "`floor_area` 的值 `{written}` 位数过多, 无法精确核对"
            )),
            "{zh}"
        );
    }
}
