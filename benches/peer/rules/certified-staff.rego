# jiamusi.certified-staff (template record-target): a childcare
# institution's certified_staff >= its staff.
package peitao

import rego.v1

outcomes contains ["jiamusi.certified-staff", sprintf("institutions[%d]", [i]), s] if {
	plan == "jiamusi"
	some i, r in input.institutions
	r.kind == "childcare"
	s := at_least(r, "certified_staff", "staff")
}

outcomes contains ["jiamusi.certified-staff", sprintf("institutions[%d]", [i]), s] if {
	plan == "jiamusi"
	some i, r in input.institutions
	not r.kind
	s := combine({v |
		some k in institution_kinds
		v := by_kind(k, {"childcare"}, at_least(r, "certified_staff", "staff"))
	})
}

at_least(r, field, figure) := "cannot be checked" if {
	not is_number(r[field])
} else := "cannot be checked" if {
	not is_number(r[figure])
} else := "holds" if {
	r[field] >= r[figure]
} else := "violated"
