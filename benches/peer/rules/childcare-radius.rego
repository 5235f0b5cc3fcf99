# honghe.childcare-radius (a rhai script, rules/honghe/childcare-radius.rhai):
# a childcare facility's service_radius <= 300 m.
package peitao

import rego.v1

outcomes contains ["honghe.childcare-radius", sprintf("facilities[%d]", [i]), s] if {
	plan == "honghe"
	some i, f in input.facilities
	f.kind == "childcare"
	s := radius(f)
}

outcomes contains ["honghe.childcare-radius", sprintf("facilities[%d]", [i]), s] if {
	plan == "honghe"
	some i, f in input.facilities
	not f.kind
	s := combine({v |
		some k in facility_kinds
		v := by_kind(k, {"childcare"}, radius(f))
	})
}

radius(f) := "cannot be checked" if {
	not is_number(f.service_radius)
} else := "holds" if {
	f.service_radius <= 300
} else := "violated"
