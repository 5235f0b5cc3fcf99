# shiyan.social-workers (template one-per): an elderly_care or
# special_hardship_support institution has social_workers >= ceil(beds / 100);
# a region has social_workers >= ceil(elderly_population / 1000) and
# >= ceil(elderly_beds / 100), due 2025. A known base that calls for more is
# a violation whatever the others leave out; else a missing base cannot be
# checked.
package peitao

import rego.v1

outcomes contains ["shiyan.social-workers", sprintf("institutions[%d]", [i]), s] if {
	plan == "shiyan"
	some i, r in input.institutions
	r.kind in {"elderly_care", "special_hardship_support"}
	s := one_per(r, "social_workers", [["beds", 100]])
}

outcomes contains ["shiyan.social-workers", sprintf("institutions[%d]", [i]), s] if {
	plan == "shiyan"
	some i, r in input.institutions
	not r.kind
	s := combine({v |
		some k in institution_kinds
		v := by_kind(k, {"elderly_care", "special_hardship_support"}, one_per(r, "social_workers", [["beds", 100]]))
	})
}

outcomes contains ["shiyan.social-workers", "region", s] if {
	plan == "shiyan"
	r := input.region
	s := due_by(one_per(r, "social_workers", [["elderly_population", 1000], ["elderly_beds", 100]]), 2025)
	s != "not applicable"
}

one_per(r, field, bases) := "cannot be checked" if {
	not is_number(r[field])
} else := s if {
	need := max(array.concat([0], [ceil(r[b[0]] / b[1]) | some b in bases; is_number(r[b[0]])]))
	missing := count([b | some b in bases; not is_number(r[b[0]])]) > 0
	s := one_per_verdict(r[field] >= need, missing)
}

one_per_verdict(true, false) := "holds"

one_per_verdict(true, true) := "cannot be checked"

one_per_verdict(false, _) := "violated"
