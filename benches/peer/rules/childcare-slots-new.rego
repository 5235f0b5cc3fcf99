# kunming.childcare-slots-new (template estate-standard): a new estate's
# childcare facilities provide slots >= 8 × population / 1000.
package peitao

import rego.v1

outcomes contains ["kunming.childcare-slots-new", "estate", s] if {
	plan == "kunming"
	of_status(input.estate, "new")
	rooms := [f | some f in input.facilities; f.kind == "childcare"]
	s := known_status(input.estate, with_kindless(rooms, "slots", "population", 8, 1000, 0))
}
