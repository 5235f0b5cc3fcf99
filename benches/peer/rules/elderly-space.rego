# shiyan.elderly-space-new and shiyan.elderly-space-existing (template
# estate-standard): the floor_area of an estate's elderly_service and
# elderly_day_care facilities together >= max(20 m² × households / 100, 350 m²).
package peitao

import rego.v1

elderly_rooms := [f |
	some f in input.facilities
	f.kind in {"elderly_service", "elderly_day_care"}
]

# Facilities of no kind said: peitao tries each kind, so each may count or
# not (src/engine/unknown.rs).
kindless := [f | some f in input.facilities; not f.kind]

outcomes contains ["shiyan.elderly-space-new", "estate", s] if {
	plan == "shiyan"
	of_status(input.estate, "new")
	s := known_status(input.estate, with_kindless(elderly_rooms, "floor_area", "households", 20, 100, 350))
}

outcomes contains ["shiyan.elderly-space-existing", "estate", s] if {
	plan == "shiyan"
	of_status(input.estate, "existing")
	s := known_status(input.estate, with_kindless(elderly_rooms, "floor_area", "households", 20, 100, 350))
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

# An estate of the status, or of none said: peitao tries a missing status
# at each of its values (src/engine/unknown.rs), and the rule applies to
# one and not the other, so the verdict is "cannot be checked".
of_status(e, status) if e.status == status

of_status(e, _) if {
	is_object(e)
	not e.status
}

known_status(e, s) := s if {
	e.status
} else := combine({s, "not applicable"})

# The verdict with and without the facilities of no kind: the same, or
# "cannot be checked".
with_kindless(rooms, field, base, amount, per, minimum) := estate_standard(rooms, field, base, amount, per, minimum) if {
	count(kindless) == 0
} else := either(
	estate_standard(rooms, field, base, amount, per, minimum),
	estate_standard(array.concat(rooms, kindless), field, base, amount, per, minimum),
)

either(a, b) := a if {
	a == b
} else := "cannot be checked"
