# shiyan.childcare-slots-region (template rate): a region's
# childcare_slots × 1000 / population >= 4.5, due 2025.
package peitao

import rego.v1

outcomes contains ["shiyan.childcare-slots-region", "region", s] if {
	plan == "shiyan"
	r := input.region
	s := due_by(ratio(r, "childcare_slots", "population", 1000, 4.5), 2025)
	s != "not applicable"
}
