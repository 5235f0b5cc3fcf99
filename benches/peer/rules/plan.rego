# What the nine rules share: which plan a submission answers to, and the
# helpers of peitao's templates (src/engine/native/mod.rs, host.rs).
package peitao

import rego.v1

# The jurisdiction among the pack's aliases (rules/*/pack.yaml). Each rule
# runs only on files of its own plan.
aliases := {
	"shiyan": {"十堰", "十堰市", "shiyan"},
	"kunming": {"昆明", "昆明市", "kunming"},
	"honghe": {"红河", "红河州", "红河哈尼族彝族自治州", "honghe"},
	"jiamusi": {"佳木斯", "佳木斯市", "jiamusi"},
}

plan := id if {
	some id, names in aliases
	input.submission.jurisdiction in names
}

# A region's target by the year it is due (docs/readings.md R3): a
# shortfall, or a figure left out, in a plan year before it is not judged;
# meeting it holds whatever the year. The year is read only when it decides.
due_by(s, due) := s if {
	s == "holds"
} else := "cannot be checked" if {
	not is_number(input.region.year)
} else := "not applicable" if {
	input.region.year < due
} else := s

# A count against its base, scaled (a share in %, a rate per 1,000):
# count × scale / base must reach least. A base of 0 has nothing to measure.
ratio(r, count_field, base_field, scale, least) := "cannot be checked" if {
	not is_number(r[base_field])
} else := "not applicable" if {
	r[base_field] == 0
} else := "cannot be checked" if {
	not is_number(r[count_field])
} else := "holds" if {
	(r[count_field] * scale) / r[base_field] >= least
} else := "violated"

# A missing kind (or status) is tried at each of its values
# (src/engine/unknown.rs): the rule's verdict for each, "not applicable"
# for a value the rule is not about, then combined as peitao combines
# them. Each rule says this second, for records of no kind, beside the
# plain case. Holding and not applying both give no finding: together they hold.
# The same finding every time is that finding; any other mix cannot be
# checked; never applying gives nothing.
institution_kinds := {"elderly_care", "special_hardship_support", "childcare"}

facility_kinds := {"elderly_service", "childcare", "elderly_day_care"}

by_kind(k, kinds, v) := v if {
	k in kinds
} else := "not applicable"

combine(vs) := "holds" if {
	"holds" in vs
	count({v | some v in vs; not v in {"holds", "not applicable"}}) == 0
} else := v if {
	count(vs) == 1
	some v in vs
	v != "not applicable"
} else := "cannot be checked" if {
	count({v | some v in vs; v != "not applicable"}) > 0
}
