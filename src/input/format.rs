//! The submission format, version 1, as a table: every section and field a
//! user may write, its type and its meaning in both languages. Validation,
//! the rhai view of a submission and the documentation all read this table,
//! so a field exists in exactly one place.

/// The type of a field's value, as written in YAML.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ty {
    /// Free text.
    Text,
    /// A non-negative integer (households, beds, slots …).
    Count,
    /// An area in m²: a bare number, or a string with a unit.
    Area,
    /// A distance in m: a bare number, or a string with a unit.
    Distance,
    Bool,
    /// `YYYY-MM-DD`.
    Date,
    /// `YYYY-MM` or `YYYY-MM-DD`; a month compares as its last day.
    Month,
    /// A calendar year, e.g. 2025.
    Year,
    /// One of a fixed list of words.
    Enum(&'static [&'static str]),
    /// A nested `schedule:` mapping of milestones.
    Schedule,
}

/// One field of a section.
#[derive(Debug)]
pub struct Field {
    pub name: &'static str,
    pub ty: Ty,
    pub zh: &'static str,
    pub en: &'static str,
}

const fn f(name: &'static str, ty: Ty, zh: &'static str, en: &'static str) -> Field {
    Field { name, ty, zh, en }
}

pub const ESTATE_STATUS: &[&str] = &["new", "existing"];
pub const FACILITY_KINDS: &[&str] = &["elderly_service", "childcare", "elderly_day_care"];
pub const INSTITUTION_KINDS: &[&str] = &["elderly_care", "special_hardship_support", "childcare"];
pub const OPERATORS: &[&str] = &["public", "private"];
pub const MEDICAL: &[&str] = &["infirmary", "nursing_station", "clinic", "none"];
pub const FIRE_SAFETY: &[&str] = &["approved", "pending", "failed"];
pub const VENUE_KINDS: &[&str] = &[
    "transport_hub",
    "commercial_center",
    "scenic_area",
    "hospital",
    "employer",
    "other",
];
pub const SCENIC_GRADES: &[&str] = &["1A", "2A", "3A", "4A", "5A"];

/// The housing milestones of 四同步 (同步规划、同步建设、同步验收、同步交付).
pub const SCHEDULE: &[Field] = &[
    f("planned", Ty::Month, "规划", "planning approved"),
    f(
        "construction_start",
        Ty::Month,
        "开工建设",
        "construction start",
    ),
    f("acceptance", Ty::Month, "竣工验收", "completion acceptance"),
    f("delivery", Ty::Month, "交付使用", "delivery"),
];

/// The top-level sections.
pub const TOP: &[Field] = &[
    f(
        "version",
        Ty::Count,
        "格式版本, 必须为 1",
        "format version, must be 1",
    ),
    f("submission", Ty::Text, "申报信息", "the filing"),
    f(
        "estate",
        Ty::Text,
        "居住区 / 住宅小区",
        "the housing estate",
    ),
    f(
        "facilities",
        Ty::Text,
        "配套设施",
        "facilities built with the estate",
    ),
    f(
        "institutions",
        Ty::Text,
        "养老机构 / 托育机构",
        "care institutions being filed",
    ),
    f(
        "venues",
        Ty::Text,
        "公共场所和用人单位",
        "public venues and employers",
    ),
    f(
        "region",
        Ty::Text,
        "区域年度计划",
        "a district's annual plan",
    ),
];

pub const SUBMISSION: &[Field] = &[
    f("id", Ty::Text, "申报编号", "filing number"),
    f("title", Ty::Text, "项目名称", "project title"),
    f(
        "jurisdiction",
        Ty::Text,
        "所属规划 (城市名或规划编号)",
        "plan id or city name",
    ),
    f("filed", Ty::Date, "申报日期", "filing date"),
    f("applicant", Ty::Text, "申报单位", "applicant"),
];

pub const ESTATE: &[Field] = &[
    f("name", Ty::Text, "小区名称", "estate name"),
    f(
        "status",
        Ty::Enum(ESTATE_STATUS),
        "新建 (new) 或老城区 / 已建成居住区 (existing)",
        "new build or existing estate",
    ),
    f("households", Ty::Count, "户数", "households"),
    f("population", Ty::Count, "常住人口", "resident population"),
    f(
        "complete_community",
        Ty::Bool,
        "完整居住社区",
        "a 完整居住社区 (complete community)",
    ),
    f(
        "schedule",
        Ty::Schedule,
        "住宅建设节点",
        "housing milestones",
    ),
];

pub const FACILITY: &[Field] = &[
    f(
        "id",
        Ty::Text,
        "设施编号 (文件内唯一)",
        "facility id, unique in the file",
    ),
    f("name", Ty::Text, "设施名称", "facility name"),
    f(
        "kind",
        Ty::Enum(FACILITY_KINDS),
        "设施类型",
        "facility kind",
    ),
    f("floor_area", Ty::Area, "建筑面积", "floor area"),
    f("slots", Ty::Count, "托位", "childcare slots"),
    f(
        "inclusive_slots",
        Ty::Count,
        "普惠性托位",
        "inclusive (subsidised) slots",
    ),
    f(
        "service_radius",
        Ty::Distance,
        "服务半径",
        "distance to the farthest dwelling served",
    ),
    f(
        "schedule",
        Ty::Schedule,
        "设施建设节点",
        "facility milestones",
    ),
];

pub const INSTITUTION: &[Field] = &[
    f(
        "id",
        Ty::Text,
        "机构编号 (文件内唯一)",
        "institution id, unique in the file",
    ),
    f("name", Ty::Text, "机构名称", "institution name"),
    f(
        "kind",
        Ty::Enum(INSTITUTION_KINDS),
        "机构类型",
        "institution kind",
    ),
    f(
        "operator",
        Ty::Enum(OPERATORS),
        "公办 (public) 或民办 (private)",
        "public or private operator",
    ),
    f("beds", Ty::Count, "床位", "beds"),
    f("nursing_beds", Ty::Count, "护理型床位", "nursing beds"),
    f("residents", Ty::Count, "入住人数", "residents"),
    f(
        "medical",
        Ty::Enum(MEDICAL),
        "内设医疗机构",
        "on-site medical service",
    ),
    f("social_workers", Ty::Count, "社会工作者", "social workers"),
    f(
        "fire_safety",
        Ty::Enum(FIRE_SAFETY),
        "消防安全条件",
        "fire-safety approval",
    ),
    f("slots", Ty::Count, "托位", "childcare slots"),
    f(
        "inclusive_slots",
        Ty::Count,
        "普惠性托位",
        "inclusive slots",
    ),
    f(
        "video_surveillance",
        Ty::Bool,
        "视频接入",
        "video surveillance connected",
    ),
    f("staff", Ty::Count, "从业人员", "staff"),
    f(
        "certified_staff",
        Ty::Count,
        "持证上岗人员",
        "certified staff",
    ),
];

pub const VENUE: &[Field] = &[
    f(
        "id",
        Ty::Text,
        "场所编号 (文件内唯一)",
        "venue id, unique in the file",
    ),
    f("name", Ty::Text, "场所名称", "venue name"),
    f("kind", Ty::Enum(VENUE_KINDS), "场所类型", "venue kind"),
    f(
        "scenic_grade",
        Ty::Enum(SCENIC_GRADES),
        "旅游景区等级",
        "scenic-area grade",
    ),
    f("floor_area", Ty::Area, "建筑面积", "floor area"),
    f("daily_visitors", Ty::Count, "日客流量", "daily visitors"),
    f(
        "mother_baby_room",
        Ty::Bool,
        "母婴室 / 育婴室 / 哺乳室",
        "mother-and-baby room",
    ),
    f(
        "elderly_green_channel",
        Ty::Bool,
        "老年人“绿色通道”",
        "green channel for the elderly",
    ),
];

pub const REGION: &[Field] = &[
    f("name", Ty::Text, "区域名称", "district name"),
    f("year", Ty::Year, "计划年度", "plan year"),
    f("population", Ty::Count, "常住人口", "resident population"),
    f(
        "elderly_population",
        Ty::Count,
        "60周岁及以上老年人口",
        "population aged 60 and over",
    ),
    f("childcare_slots", Ty::Count, "托位数", "childcare slots"),
    f(
        "inclusive_slots",
        Ty::Count,
        "普惠性托位数",
        "inclusive slots",
    ),
    f("elderly_beds", Ty::Count, "养老床位数", "elderly-care beds"),
    f("nursing_beds", Ty::Count, "护理型床位数", "nursing beds"),
    f("social_workers", Ty::Count, "社会工作者", "social workers"),
];

/// Pairs `(part, whole)` where part may not exceed whole in one record.
pub const PART_OF: &[(&str, &str)] = &[
    ("nursing_beds", "beds"),
    ("inclusive_slots", "slots"),
    ("certified_staff", "staff"),
    ("nursing_beds", "elderly_beds"),
    ("inclusive_slots", "childcare_slots"),
    ("elderly_population", "population"),
];

/// The values a field can take when they are a closed set.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClosedSet {
    Bool,
    Words(&'static [&'static str]),
}

/// The fields of the section or record a path names (`facilities[2]`,
/// `estate.schedule`, `institutions[0]`).
fn fields_of(record_path: &str) -> Option<&'static [Field]> {
    let base = record_path.split('[').next().unwrap_or(record_path);
    Some(match base {
        "submission" => SUBMISSION,
        "estate" => ESTATE,
        "facilities" => FACILITY,
        "institutions" => INSTITUTION,
        "venues" => VENUE,
        "region" => REGION,
        _ if base.ends_with("schedule") || record_path.ends_with(".schedule") => SCHEDULE,
        _ => return None,
    })
}

/// For a field's path (`institutions[0].operator`), the closed set of
/// values it can take, if it has one.
pub fn closed_set(path: &str) -> Option<ClosedSet> {
    let (record, name) = path.rsplit_once('.')?;
    let fields = if record.ends_with(".schedule") {
        SCHEDULE
    } else {
        fields_of(record)?
    };
    match fields.iter().find(|f| f.name == name)?.ty {
        Ty::Bool => Some(ClosedSet::Bool),
        Ty::Enum(words) => Some(ClosedSet::Words(words)),
        _ => None,
    }
}

/// Fields with a documented default: a file that leaves one out means the
/// default, not "unknown" (docs/submission-format.md).
pub const DEFAULTS: &[(&str, &str, bool)] = &[("estate", "complete_community", false)];

#[cfg(test)]
mod closed_set_tests {
    use super::*;

    #[test]
    fn closed_sets_by_path() {
        assert_eq!(
            closed_set("institutions[3].operator"),
            Some(ClosedSet::Words(OPERATORS))
        );
        assert_eq!(
            closed_set("estate.complete_community"),
            Some(ClosedSet::Bool)
        );
        assert_eq!(closed_set("estate.households"), None);
        assert_eq!(closed_set("facilities[0].schedule.planned"), None);
        assert_eq!(closed_set("nowhere"), None);
    }
}
