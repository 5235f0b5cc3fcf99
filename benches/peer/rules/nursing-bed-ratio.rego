# shiyan.nursing-bed-ratio (template share): a region's
# institution_nursing_beds / institution_beds >= 60 %, due 2025.
package peitao

import rego.v1

outcomes contains ["shiyan.nursing-bed-ratio", "region", s] if {
	plan == "shiyan"
	r := input.region
	s := due_by(ratio(r, "institution_nursing_beds", "institution_beds", 100, 60), 2025)
	s != "not applicable"
}
