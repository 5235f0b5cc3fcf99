# shiyan.elderly-space-new and shiyan.elderly-space-existing (template
# estate-standard): the floor_area of an estate's elderly_service and
# elderly_day_care facilities together >= max(20 m² × households / 100, 350 m²).
package peitao

import rego.v1

elderly_rooms := [f |
	some f in input.facilities
	f.kind in {"elderly_service", "elderly_day_care"}
]

outcomes contains ["shiyan.elderly-space-new", "estate", s] if {
	plan == "shiyan"
	input.estate.status == "new"
	s := estate_standard(elderly_rooms, "floor_area", "households", 20, 100, 350)
}

outcomes contains ["shiyan.elderly-space-existing", "estate", s] if {
	plan == "shiyan"
	input.estate.status == "existing"
	s := estate_standard(elderly_rooms, "floor_area", "households", 20, 100, 350)
}

# estate-standard: the rooms' field summed against max(amount × base / per,
# minimum); a room without the field, or an estate without its base,
# cannot be checked.
estate_standard(rooms, field, base, amount, per, minimum) := "cannot be checked" if {
	count([r | some r in rooms; not is_number(r[field])]) > 0
} else := "cannot be checked" if {
	not is_number(input.estate[base])
} else := "holds" if {
	sum([r[field] | some r in rooms]) >= max([(amount * input.estate[base]) / per, minimum])
} else := "violated"
