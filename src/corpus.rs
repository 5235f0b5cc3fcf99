//! Deterministic synthetic submissions, for the benchmark and the work
//! guard: realistic ~2 KB files over all five plans, about a third
//! violating something, units in strings, some fields missing; and single
//! files with many facilities. Not part of the stable API.

use std::fmt::Write as _;

/// xorshift64*: the same corpus on every machine and run.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

const PLANS: [(&str, &str); 5] = [
    ("十堰市", "2025"),
    ("泰州市", "2023"),
    ("昆明市", "2025"),
    ("红河州", "2025"),
    ("佳木斯市", "2024"),
];

/// Submission number `i`: about 2 KB of YAML.
pub fn submission(i: u64) -> String {
    let mut r = Rng::new(i + 1);
    // The fields added since (issue 21: `safety_facilities`, hospitals with
    // ids, the conditions 具备条件的 / 有条件的, `region.level`,
    // `institution_beds`) draw from a stream of their own, so every line
    // the corpus had before is unchanged.
    let mut n = Rng::new((i + 1) ^ 0x00F1_D000);
    let (city, year) = PLANS[(i % 5) as usize];
    let violating = r.chance(33);
    let households = 400 + r.below(3000);
    let population = households * 3;
    let per_100 = if violating { 12 } else { 32 };
    let area = (households * per_100 / 100).max(if violating { 100 } else { 360 });
    let mut s = String::with_capacity(2200);
    let _ = write!(
        s,
        "# Synthetic submission {i} for the benchmark.\nversion: 1\nsubmission:\n  id: BENCH-{i:05}\n  title: 基准测试住宅项目第{i}号\n  jurisdiction: {city}\n  filed: {year}-06-{:02}\n  applicant: 某某置业有限公司\n\n",
        1 + r.below(28)
    );
    let status = if r.chance(70) { "new" } else { "existing" };
    let _ = write!(s, "estate:\n  name: 基准花园{i}\n  status: {status}\n");
    if !r.chance(8) {
        let _ = writeln!(s, "  households: {households}");
    }
    let _ = writeln!(s, "  population: {population}");
    let _ = writeln!(s, "  complete_community: {}", r.chance(30));
    let _ = write!(s, "  schedule:\n    planned: 2024-05\n    construction_start: 2024-09\n    acceptance: 2026-10\n    delivery: 2026-12\n\nfacilities:\n");
    let rooms = 1 + r.below(3);
    for k in 0..rooms {
        let late = if violating && k == 0 {
            "2026-11"
        } else {
            "2026-10"
        };
        let _ = write!(
            s,
            "  - id: E{k}\n    name: 社区养老服务站{k}\n    kind: elderly_service\n    floor_area: {} m²\n    schedule: {{ planned: 2024-05, construction_start: 2024-09, acceptance: {late}, delivery: 2026-12 }}\n",
            area / rooms + 1
        );
    }
    if !violating || r.chance(50) {
        let slots = population * 9 / 1000;
        let _ = write!(
            s,
            "  - id: C1\n    kind: childcare\n    floor_area: {}平方米\n    slots: {slots}\n    inclusive_slots: {}\n    service_radius: 0.{} km\n    schedule: {{ acceptance: 2026-10, delivery: 2026-12 }}\n",
            200 + r.below(200),
            slots * 4 / 5,
            2 + r.below(2)
        );
        // 配套安全设施 (红河): built, not yet, or not said.
        match n.below(3) {
            0 => {}
            k => {
                let _ = writeln!(s, "    safety_facilities: {}", k == 1 || !violating);
            }
        }
    }
    let _ = writeln!(
        s,
        "  - id: D1\n    kind: elderly_day_care\n    floor_area: 120"
    );
    let beds = 100 + r.below(200);
    let nursing = if violating { beds / 3 } else { beds * 7 / 10 };
    let _ = write!(
        s,
        "\ninstitutions:\n  - id: I1\n    name: 基准颐养院{i}\n    kind: elderly_care\n    operator: {}\n    beds: {beds}\n    nursing_beds: {nursing}\n    residents: {}\n    medical: {}\n    social_workers: {}\n    fire_safety: {}\n",
        if r.chance(50) { "public" } else { "private" },
        beds * 2 / 3,
        if violating { "clinic" } else { "nursing_station" },
        beds.div_ceil(100),
        if violating && r.chance(30) { "pending" } else { "approved" }
    );
    let _ = write!(
        s,
        "  - id: T1\n    kind: childcare\n    slots: 100\n    inclusive_slots: {}\n    video_surveillance: {}\n    staff: 20\n    certified_staff: {}\n    fire_safety: approved\n",
        if violating { 60 } else { 85 },
        !violating,
        if violating { 18 } else { 20 }
    );
    let _ = write!(
        s,
        "\nvenues:\n  - id: V1\n    kind: commercial_center\n    floor_area: 1.{}万㎡\n    daily_visitors: {}\n    mother_baby_room: {}\n",
        r.below(9),
        5000 + r.below(20000),
        !violating
    );
    // 具备条件的公共场所 (R22): stated true, false or left out; the 母婴 green
    // channel and 专席 (R27).
    match n.below(3) {
        0 => {}
        k => {
            let _ = writeln!(s, "    priority_means: {}", k == 1);
        }
    }
    let _ = writeln!(
        s,
        "    priority_seating: {}\n    mother_baby_green_channel: {}",
        !violating || n.chance(50),
        !violating
    );
    // A hospital, under `hospitals` or as a venue (R21), with its id.
    let (channel, room) = (!violating, !violating || n.chance(50));
    let mut hospital = String::new();
    if n.chance(50) {
        let means = match n.below(3) {
            0 => String::new(),
            k => format!(", geriatrics_means: {}", k == 1),
        };
        let _ = write!(
            hospital,
            "\nhospitals:\n  - {{ id: H{i}, kind: {}, level: {}, geriatrics_department: {}, elderly_green_channel: {channel}, mother_baby_room: {room}{means} }}\n",
            if n.chance(80) { "general" } else { "tcm" },
            1 + n.below(3),
            !violating || n.chance(50),
        );
    } else {
        let _ = writeln!(
            s,
            "  - {{ id: H{i}, kind: hospital, elderly_green_channel: {channel}, mother_baby_room: {room} }}"
        );
    }
    if r.chance(40) {
        let pop = 200_000 + r.below(300_000);
        let _ = write!(
            s,
            "\nregion:\n  name: 向阳区\n  year: {year}\n  population: {pop}\n  elderly_population: {}\n  childcare_slots: {}\n  inclusive_slots: {}\n  elderly_beds: {}\n  nursing_beds: {}\n  social_workers: {}\n",
            pop / 4,
            pop * 5 / 1000,
            pop * 3 / 1000,
            pop / 4 * 36 / 1000,
            pop / 4 * 36 / 1000 * 6 / 10,
            pop / 4 / 1000
        );
        // What a district plan says of itself (R17) and its institutions'
        // beds (R23).
        let level = ["district", "county", "county_city", "区", "县级市"][n.below(5) as usize];
        let _ = write!(s, "  scope: district\n  level: {level}\n");
        if n.chance(70) {
            let institution = pop / 4 * 36 / 1000 * 6 / 10;
            let _ = write!(
                s,
                "  institution_beds: {institution}\n  institution_nursing_beds: {}\n",
                institution * if violating { 40 } else { 65 } / 100
            );
        }
    }
    s.push_str(&hospital);
    s
}

/// One submission with `n` facilities (a large estate).
pub fn many_facilities(n: usize) -> String {
    let mut s = String::with_capacity(n * 120 + 400);
    let _ = write!(
        s,
        "version: 1\nsubmission: {{ jurisdiction: 十堰市, filed: 2025-03-01 }}\nestate:\n  status: new\n  households: {}\n  population: {}\n  schedule: {{ planned: 2024-05, construction_start: 2024-09, acceptance: 2026-10, delivery: 2026-12 }}\nfacilities:\n",
        n * 10,
        n * 30
    );
    for k in 0..n {
        let kind = ["elderly_service", "childcare", "elderly_day_care"][k % 3];
        let _ = writeln!(
            s,
            "  - {{ id: F{k}, kind: {kind}, floor_area: {} m², slots: 10, schedule: {{ acceptance: 2026-10, delivery: 2026-12 }} }}",
            2 + k % 5
        );
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_corpus_is_valid_about_2_kb_and_deterministic() {
        let limits = crate::input::Limits::default();
        let mut total = 0;
        for i in 0..50 {
            let s = submission(i);
            assert_eq!(s, submission(i));
            total += s.len();
            if let Err(e) = crate::input::parse_submission(&s, &limits) {
                panic!("submission {i} is invalid: {e:?}\n{s}");
            }
        }
        let mean = total / 50;
        assert!((1500..2600).contains(&mean), "mean size {mean}");
        let big = many_facilities(100);
        assert_eq!(
            crate::input::parse_submission(&big, &limits)
                .unwrap()
                .facilities
                .len(),
            100
        );
    }
}
