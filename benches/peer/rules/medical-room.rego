# shiyan.medical-room (a rhai script, rules/shiyan/medical-room.rhai): an
# elderly home of 150 beds or more, or a hardship home with 50 residents or
# more, has an infirmary or a nursing station.
package peitao

import rego.v1

outcomes contains ["shiyan.medical-room", sprintf("institutions[%d]", [i]), s] if {
	plan == "shiyan"
	some i, r in input.institutions
	r.kind in {"elderly_care", "special_hardship_support"}
	l := large(r)
	l != "no"
	s := medical(r, l)
}

outcomes contains ["shiyan.medical-room", sprintf("institutions[%d]", [i]), s] if {
	plan == "shiyan"
	some i, r in input.institutions
	not r.kind
	s := combine({v | some k in institution_kinds; v := medical_as(r, k)})
}

medical_as(r, k) := "not applicable" if {
	not k in {"elderly_care", "special_hardship_support"}
} else := "not applicable" if {
	large(object.union(r, {"kind": k})) == "no"
} else := medical(object.union(r, {"kind": k}), large(object.union(r, {"kind": k})))

# any_of(beds >= 150, hardship && residents >= 50), decided by the known
# values where they settle it, else unknown.
large(r) := "yes" if {
	r.beds >= 150
} else := "yes" if {
	r.kind == "special_hardship_support"
	r.residents >= 50
} else := "no" if {
	is_number(r.beds)
	small_hardship(r)
} else := "unknown"

small_hardship(r) if r.kind != "special_hardship_support"

small_hardship(r) if r.residents < 50

medical(_, "unknown") := "cannot be checked"

medical(r, "yes") := "cannot be checked" if {
	not r.medical
} else := "holds" if {
	r.medical in {"infirmary", "nursing_station"}
} else := "violated"
