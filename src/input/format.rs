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
    /// A share as people write it: `55%`, `55 %`, `55％` or a fraction `0.55`;
    /// read as a percent (55.0), 0–100.
    Percent,
    /// A grade or level 1..=max: `3`, `三级`, `3级`; hospital grades also
    /// `三级甲等`, `三甲`. Read as its number.
    Level(u8),
    /// One of a fixed list of words.
    Enum(&'static [&'static str]),
    /// A nested mapping of the given fields (`schedule:`, `indicators:`).
    Nested(&'static [Field]),
}

/// One field of a section.
#[derive(Debug, PartialEq, Eq)]
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
/// Each facility kind as the plans name it, for Chinese messages.
pub const FACILITY_KINDS_ZH: &[(&str, &str)] = &[
    ("elderly_service", "养老服务设施"),
    ("childcare", "托育服务设施"),
    ("elderly_day_care", "日间照料设施"),
];
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
pub const HOSPITAL_KINDS: &[&str] = &[
    "general",
    "tcm",
    "geriatric",
    "maternal_child",
    "primary_care",
    "other",
];
pub const REGION_SCOPES: &[&str] = &["district", "city"];
/// The administrative level of the region a plan covers, as the plans name
/// their units: the city (地级市, 州) as a whole, a district (区), a county
/// (县) or a county-level city (县级市). "每个区…" binds a 区, "每个县(市)…"
/// a 县 or a 县级市 (docs/readings.md R17).
pub const REGION_LEVELS: &[&str] = &["city", "district", "county", "county_city"];

/// The Chinese term of every word of the format's closed sets, and of a
/// yes/no, in the plans' own words where they have them (医务室, 护理站,
/// 交通枢纽, 商业中心, 用人单位, 特困人员供养机构, 公办/民办 …). A word
/// shared by two sets (`childcare`, `other`, `city`, `district`) has one
/// term that reads right in both. Chinese messages show a word as its term
/// with the YAML word after it, `诊所 (clinic)` ([`termed`]), so a reader
/// learns both what it means and what to write.
pub const TERMS: &[(&str, &str)] = &[
    // estate.status
    ("new", "新建"),
    ("existing", "已建成"),
    // facilities[].kind
    ("elderly_service", "养老服务设施"),
    ("childcare", "托育"),
    ("elderly_day_care", "日间照料设施"),
    // institutions[].kind
    ("elderly_care", "养老机构"),
    ("special_hardship_support", "特困人员供养机构"),
    // institutions[].operator
    ("public", "公办"),
    ("private", "民办"),
    // institutions[].medical (养老机构内部设置诊所、卫生所(室)、医务室、护理站)
    ("infirmary", "医务室"),
    ("nursing_station", "护理站"),
    ("clinic", "诊所"),
    ("none", "无"),
    // institutions[].fire_safety
    ("approved", "已通过"),
    ("pending", "待审"),
    ("failed", "未通过"),
    // venues[].kind
    ("transport_hub", "交通枢纽"),
    ("commercial_center", "商业中心"),
    ("scenic_area", "景区"),
    ("hospital", "医院"),
    ("employer", "用人单位"),
    ("other", "其他"),
    // venues[].scenic_grade
    ("1A", "1A级"),
    ("2A", "2A级"),
    ("3A", "3A级"),
    ("4A", "4A级"),
    ("5A", "5A级"),
    // hospitals[].kind
    ("general", "综合医院"),
    ("tcm", "中医医院"),
    ("geriatric", "老年医院"),
    ("maternal_child", "妇幼保健机构"),
    ("primary_care", "基层医疗卫生机构"),
    // region.scope and region.level
    ("district", "区"),
    ("city", "市(州)"),
    ("county", "县"),
    ("county_city", "县级市"),
    // a yes/no
    ("true", "是"),
    ("false", "否"),
];

/// The Chinese term of a word of a closed set (`clinic` → 诊所).
pub fn term_zh(word: &str) -> Option<&'static str> {
    TERMS.iter().find(|(w, _)| *w == word).map(|(_, zh)| *zh)
}

/// A word of a closed set as a Chinese message shows it: its term with the
/// YAML word, `诊所 (clinic)`; any other text as it is.
pub fn termed(word: &str) -> String {
    match term_zh(word) {
        Some(zh) => format!("{zh} ({word})"),
        None => word.to_string(),
    }
}

/// Every word of the format's closed sets, with a yes/no's.
pub fn closed_words() -> Vec<&'static str> {
    [
        ESTATE_STATUS,
        FACILITY_KINDS,
        INSTITUTION_KINDS,
        OPERATORS,
        MEDICAL,
        FIRE_SAFETY,
        VENUE_KINDS,
        SCENIC_GRADES,
        HOSPITAL_KINDS,
        REGION_SCOPES,
        REGION_LEVELS,
        &["true", "false"],
    ]
    .concat()
}

/// Chinese words accepted for a word of a closed set, each read as the
/// word it stands for: `level: 县级市` is `county_city`. Only the plans'
/// own unambiguous names are here (a bare 市 could be a city or a
/// county-level city, so it is not).
pub const ENUM_ALIASES: &[(&[&str], &str, &str)] = &[
    (REGION_LEVELS, "地级市", "city"),
    (REGION_LEVELS, "州", "city"),
    (REGION_LEVELS, "自治州", "city"),
    (REGION_LEVELS, "区", "district"),
    (REGION_LEVELS, "市辖区", "district"),
    (REGION_LEVELS, "县", "county"),
    (REGION_LEVELS, "自治县", "county"),
    (REGION_LEVELS, "县级市", "county_city"),
];

/// The word of `allowed` an alias stands for (`县级市` → `county_city`).
pub fn alias_of(allowed: &[&str], word: &str) -> Option<&'static str> {
    ENUM_ALIASES
        .iter()
        .find(|(set, alias, _)| *set == allowed && *alias == word)
        .map(|(_, _, canonical)| *canonical)
}

/// The aliases accepted for the words of `allowed`, as `(alias, word)`.
pub fn aliases(allowed: &[&str]) -> Vec<(&'static str, &'static str)> {
    ENUM_ALIASES
        .iter()
        .filter(|(set, _, _)| *set == allowed)
        .map(|(_, alias, word)| (*alias, *word))
        .collect()
}

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
        "hospitals",
        Ty::Text,
        "医疗机构 (医院、基层医疗卫生机构)",
        "hospitals and primary care providers",
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
        "区 (县) 或市的年度计划",
        "a district's or a city's annual plan",
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
        Ty::Nested(SCHEDULE),
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
        "safety_facilities",
        Ty::Bool,
        "配套安全设施 (婴幼儿照护服务设施的安全设施) 已建",
        "its safety facilities (配套安全设施) are built",
    ),
    f(
        "schedule",
        Ty::Nested(SCHEDULE),
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
    f(
        "trained_staff",
        Ty::Count,
        "接受专业培训的从业人员",
        "staff who received professional training",
    ),
    f(
        "grade",
        Ty::Level(5),
        "养老机构等级评定 (一级至五级; 未评定不填)",
        "elderly-care institution grade, 1 to 5 (leave out when not rated)",
    ),
    f(
        "inclusive_beds",
        Ty::Count,
        "普惠性养老床位",
        "inclusive (price-capped) elderly-care beds",
    ),
    f(
        "medical_agreement",
        Ty::Bool,
        "与医疗卫生机构签订医养结合合作协议",
        "signed care agreement with a medical institution",
    ),
    f(
        "medical_filed",
        Ty::Bool,
        "内设医疗机构已备案",
        "in-house medical unit filed with the health authority",
    ),
    f(
        "referral_green_channel",
        Ty::Bool,
        "与合作医疗机构开通双向转介绿色通道",
        "two-way referral green channel with the partner medical institution",
    ),
    f(
        "registered",
        Ty::Bool,
        "托育机构已登记备案",
        "childcare institution registered and filed",
    ),
    f(
        "security_compliant",
        Ty::Bool,
        "安保制度建设达标",
        "security arrangements up to standard",
    ),
    f(
        "demonstration",
        Ty::Bool,
        "示范性机构",
        "recognised as a demonstration (示范) institution",
    ),
];

pub const HOSPITAL: &[Field] = &[
    f(
        "id",
        Ty::Text,
        "机构编号 (文件内唯一)",
        "hospital id, unique in the file",
    ),
    f("name", Ty::Text, "医疗机构名称", "hospital name"),
    f(
        "kind",
        Ty::Enum(HOSPITAL_KINDS),
        "综合医院 (general)、中医医院 (tcm)、老年医院 (geriatric)、妇幼保健机构 (maternal_child)、基层医疗卫生机构 (primary_care)",
        "general, traditional Chinese medicine, geriatric, maternal and child, primary care, other",
    ),
    f(
        "level",
        Ty::Level(3),
        "医院等级 (一级、二级、三级; 三级甲等写作 三甲 亦可)",
        "hospital level 1 to 3",
    ),
    f("beds", Ty::Count, "床位", "beds"),
    f(
        "rehab_care_beds",
        Ty::Count,
        "老年康复、护理、安宁疗护床位",
        "beds for elderly rehabilitation, nursing and hospice care",
    ),
    f(
        "geriatrics_department",
        Ty::Bool,
        "设立老年医学科",
        "has a geriatrics department",
    ),
    f(
        "rehabilitation_department",
        Ty::Bool,
        "设置康复科",
        "has a rehabilitation department",
    ),
    f(
        "preventive_department",
        Ty::Bool,
        "设置治未病科",
        "has a preventive-medicine (治未病) department",
    ),
    f(
        "elderly_green_channel",
        Ty::Bool,
        "老年人挂号、就医绿色通道",
        "green channel for elderly patients",
    ),
    f(
        "elder_friendly",
        Ty::Bool,
        "创成老年友善医疗机构",
        "recognised as an elder-friendly medical institution",
    ),
    // A hospital is also a public venue: the same facts as under `venues`
    // (kind hospital), so either section can carry them (readings R21).
    f("floor_area", Ty::Area, "建筑面积", "floor area"),
    f("daily_visitors", Ty::Count, "日客流量", "daily visitors"),
    f(
        "mother_baby_room",
        Ty::Bool,
        "母婴室 / 育婴室 / 哺乳室",
        "mother-and-baby room",
    ),
    f(
        "priority_seating",
        Ty::Bool,
        "老年人、孕妇等专席",
        "priority seats or counters (专席)",
    ),
    f(
        "mother_baby_green_channel",
        Ty::Bool,
        "母婴绿色通道 (孕产妇、携婴幼儿者)",
        "green channel for pregnant women and people with infants",
    ),
    f(
        "priority_means",
        Ty::Bool,
        "具备设置专席及绿色通道的条件 (具备条件的公共场所)",
        "has the means to provide priority seats and green channels (具备条件的公共场所)",
    ),
    f(
        "geriatrics_means",
        Ty::Bool,
        "具备开设老年医学科的条件 (有条件的医院)",
        "has the means to open a geriatrics department (有条件的医院)",
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
    f(
        "priority_seating",
        Ty::Bool,
        "老年人、孕妇等专席",
        "priority seats or counters (专席)",
    ),
    f(
        "mother_baby_green_channel",
        Ty::Bool,
        "母婴绿色通道 (孕产妇、携婴幼儿者)",
        "green channel for pregnant women and people with infants",
    ),
    f(
        "priority_means",
        Ty::Bool,
        "具备设置专席及绿色通道的条件 (具备条件的公共场所)",
        "has the means to provide priority seats and green channels (具备条件的公共场所)",
    ),
    f(
        "elderly_care_leave_days",
        Ty::Count,
        "用人单位: 子女护理父母的年护理时间 (天)",
        "employer: days of leave a year to care for an elderly parent",
    ),
    f(
        "only_child_care_leave_days",
        Ty::Count,
        "用人单位: 独生子女护理父母的年护理时间 (天)",
        "employer: days of leave a year for an only child to care for a parent",
    ),
    f(
        "maternity_leave_extra_days",
        Ty::Count,
        "用人单位: 产假延长天数",
        "employer: days added to statutory maternity leave",
    ),
    f(
        "paternity_leave_days",
        Ty::Count,
        "用人单位: 配偶护理假 (天)",
        "employer: days of paternity leave",
    ),
    f(
        "parental_leave_days",
        Ty::Count,
        "用人单位: 育儿假 (每人每年, 天)",
        "employer: days of parental leave per parent a year",
    ),
];

pub const REGION: &[Field] = &[
    f("name", Ty::Text, "区域名称", "district or city name"),
    f(
        "scope",
        Ty::Enum(REGION_SCOPES),
        "计划范围: 区 (县、市) (district) 或全市 / 全州 (city)",
        "what the plan covers: one district (county) or the whole city (prefecture)",
    ),
    f(
        "level",
        Ty::Enum(REGION_LEVELS),
        "行政层级: city 市 (州) / district 区 / county 县 / county_city 县级市; 也可写中文",
        "administrative level: the city (prefecture), a district (区), a county (县) or a county-level city (县级市); the Chinese words are accepted",
    ),
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
    f(
        "institution_beds",
        Ty::Count,
        "养老机构床位数 (养老床位中养老机构的)",
        "beds in elderly-care institutions (of elderly_beds)",
    ),
    f(
        "institution_nursing_beds",
        Ty::Count,
        "养老机构护理型床位数",
        "nursing beds in elderly-care institutions",
    ),
    f("social_workers", Ty::Count, "社会工作者", "social workers"),
    f(
        "counties",
        Ty::Count,
        "下辖县 (市、区) 数",
        "counties (districts) in the region",
    ),
    f(
        "streets",
        Ty::Count,
        "街道数",
        "streets (urban sub-districts)",
    ),
    f("townships", Ty::Count, "乡镇数", "townships"),
    f(
        "communities",
        Ty::Count,
        "城市社区 (居委会) 数",
        "urban communities",
    ),
    f(
        "villages",
        Ty::Count,
        "行政村 (村委会) 数",
        "administrative villages",
    ),
    f(
        "indicators",
        Ty::Nested(INDICATORS),
        "规划目标指标 (专栏、主要目标)",
        "the plan's target indicators",
    ),
];

/// A region's figures for the plans' target tables (佳木斯's 专栏, 红河's
/// 主要目标, 十堰's and 昆明's indicator lists, 泰州's task list). Shares are
/// percents. Counts are what exists at the end of the plan year, or what
/// was done since the start of 十四五 (2021) where the plan counts additions;
/// a name starting with `new_` counts the plan year alone.
pub const INDICATORS: &[Field] = &[
    // Elderly care: institutions and beds
    f(
        "hardship_support_rate",
        Ty::Percent,
        "生活不能自理 (失能) 特困人员集中供养率",
        "share of disabled extreme-hardship persons in institutional care",
    ),
    f(
        "willing_hardship_support_rate",
        Ty::Percent,
        "有集中供养意愿的特困人员集中供养率",
        "share of extreme-hardship persons wishing institutional care who get it",
    ),
    f(
        "basic_and_inclusive_bed_share",
        Ty::Percent,
        "兜底线和普惠性养老床位合计占比",
        "share of safety-net and inclusive beds among elderly-care beds",
    ),
    f(
        "inclusive_beds_added",
        Ty::Count,
        "“十四五”以来新增普惠性养老床位 (张)",
        "inclusive elderly-care beds added since 2021",
    ),
    f(
        "home_care_beds",
        Ty::Count,
        "家庭养老床位 (张)",
        "home care beds (家庭养老床位)",
    ),
    f(
        "public_occupancy_rate",
        Ty::Percent,
        "公办养老机构入住率",
        "occupancy of public elderly-care institutions",
    ),
    f(
        "medical_integration_rate",
        Ty::Percent,
        "养老机构医养结合率 (医养结合服务覆盖率)",
        "share of elderly-care institutions offering integrated medical care",
    ),
    f(
        "grade_pass_rate",
        Ty::Percent,
        "养老机构等级评定通过率",
        "share of institutions passing the grade assessment",
    ),
    f(
        "private_grade_one_share",
        Ty::Percent,
        "民办养老机构等级评定符合一级以上的占比",
        "share of private institutions rated grade 1 or above",
    ),
    f(
        "hardship_grade_one_share",
        Ty::Percent,
        "特困人员供养服务机构达到一级及以上等级标准率",
        "share of hardship-support institutions at grade 1 or above",
    ),
    f(
        "hardship_support_facilities",
        Ty::Count,
        "县级特困人员供养服务设施 (福利院、敬老院, 处)",
        "county-level facilities for extreme-hardship persons",
    ),
    f(
        "disability_care_hardship_facilities",
        Ty::Count,
        "以失能、部分失能特困人员专业照护为主的县级供养服务设施 (处)",
        "county-level hardship-support facilities whose main function is care for the disabled",
    ),
    f(
        "regional_hardship_centres",
        Ty::Count,
        "区域性失能半失能特困人员供养服务中心 (所)",
        "regional support centres for disabled extreme-hardship persons",
    ),
    f(
        "dementia_care_institutions",
        Ty::Count,
        "失智老年人照护服务机构 (所)",
        "dementia-care institutions",
    ),
    f(
        "north_midsize_institutions",
        Ty::Count,
        "北部县市重点培育的中型养老机构 (个, 红河: 北部7个县市)",
        "mid-size elderly-care institutions fostered in the northern counties (红河: 7)",
    ),
    f(
        "south_midsize_institutions",
        Ty::Count,
        "南部县重点培育的中型养老机构 (个, 红河: 南部6个县)",
        "mid-size elderly-care institutions fostered in the southern counties (红河: 6)",
    ),
    f(
        "medical_integration_institutions",
        Ty::Count,
        "医养结合机构 (个)",
        "integrated medical-and-elderly-care institutions",
    ),
    f(
        "lottery_fund_share",
        Ty::Percent,
        "福彩公益金用于养老服务的比例",
        "share of welfare-lottery funds spent on elderly care",
    ),
    f(
        "branded_chain_operators",
        Ty::Count,
        "品牌化、连锁化养老服务机构 (家)",
        "branded chain elderly-care operators",
    ),
    f(
        "leading_elderly_enterprises",
        Ty::Count,
        "骨干养老企业 (家)",
        "leading elderly-care enterprises",
    ),
    // Elderly care: community and home
    f(
        "township_centre_coverage",
        Ty::Percent,
        "区域性 (综合) 养老服务中心乡镇 (街道) 覆盖率",
        "share of townships (streets) with a regional elderly-care centre",
    ),
    f(
        "street_centre_coverage",
        Ty::Percent,
        "街道综合养老服务中心覆盖率",
        "share of streets with a comprehensive elderly-care centre",
    ),
    f(
        "rural_centre_coverage",
        Ty::Percent,
        "农村 (区域性) 养老服务中心 (站) 覆盖率 / 建有率",
        "share of rural areas with an elderly-care centre or station",
    ),
    f(
        "township_facility_coverage",
        Ty::Percent,
        "养老服务设施和站点覆盖的乡镇比例",
        "share of townships with elderly-service facilities or stations",
    ),
    f(
        "rural_community_facility_coverage",
        Ty::Percent,
        "养老服务设施和站点覆盖的农村社区比例",
        "share of rural communities with elderly-service facilities or stations",
    ),
    f(
        "urban_community_facility_coverage",
        Ty::Percent,
        "城镇 (城市) 社区养老服务设施覆盖率: 居委会社区, 不含农村社区",
        "share of urban communities (居委会, not rural) with elderly-service facilities or stations",
    ),
    f(
        "day_care_coverage",
        Ty::Percent,
        "社区日间照料设施 (机构) 覆盖率",
        "share of communities with day care for the elderly",
    ),
    f(
        "community_facility_coverage",
        Ty::Percent,
        "城乡社区养老服务设施覆盖率: 城镇与农村社区合计",
        "share of all communities, urban and rural, with elderly-service facilities",
    ),
    f(
        "village_mutual_aid_share",
        Ty::Percent,
        "设有互助养老服务设施的村委会比例",
        "share of villages with mutual-aid elderly-care facilities",
    ),
    f(
        "community_day_care_rooms",
        Ty::Count,
        "社区老年人日间照料室 (个)",
        "community day-care rooms for the elderly",
    ),
    f(
        "street_home_care_stations",
        Ty::Count,
        "街道居家养老服务站 (个)",
        "street home-care stations",
    ),
    f(
        "district_centres",
        Ty::Count,
        "城区养老服务中心 (个)",
        "district elderly-care centres",
    ),
    f(
        "township_standard_institutions",
        Ty::Count,
        "乡镇标准化养老机构 (所)",
        "standardised township elderly-care institutions",
    ),
    f(
        "village_mutual_aid_facilities",
        Ty::Count,
        "村委会互助养老服务设施 (个)",
        "village mutual-aid elderly-care facilities",
    ),
    f(
        "street_comprehensive_facilities",
        Ty::Count,
        "街道 (乡镇) 综合性社区养老服务设施 (个)",
        "comprehensive street (township) elderly-service facilities",
    ),
    f(
        "rural_regional_centres",
        Ty::Count,
        "农村区域养老服务中心 (个)",
        "rural regional elderly-care centres",
    ),
    f(
        "rural_mutual_aid_centres",
        Ty::Count,
        "“十四五”以来提档升级的农村互助照料中心 (个)",
        "rural mutual-aid care centres upgraded since 2021",
    ),
    f(
        "new_rural_mutual_aid_centres",
        Ty::Count,
        "本年改造提升的农村互助养老睦邻点 (个)",
        "rural mutual-aid points upgraded this year",
    ),
    f(
        "demonstration_centres",
        Ty::Count,
        "示范性 (综合性) 养老中心 (个)",
        "demonstration elderly-care centres",
    ),
    f(
        "medical_integration_demonstrations",
        Ty::Count,
        "医养结合示范项目 (个)",
        "integrated-care demonstration projects",
    ),
    f(
        "city_medical_integration_demonstrations",
        Ty::Count,
        "市级医养结合示范项目 (个)",
        "city-level integrated-care demonstration projects",
    ),
    f(
        "county_medical_integration_demonstrations",
        Ty::Count,
        "县级医养结合示范项目 (个)",
        "county-level integrated-care demonstration projects",
    ),
    f(
        "silver_economy_parks",
        Ty::Count,
        "以银发经济为主题的示范园区 (个)",
        "demonstration parks on the silver economy",
    ),
    f(
        "city_wellness_demonstrations",
        Ty::Count,
        "市级康养结合示范项目 (个)",
        "city-level wellness demonstration projects",
    ),
    f(
        "county_wellness_demonstrations",
        Ty::Count,
        "县级康养结合示范项目 (个)",
        "county-level wellness demonstration projects",
    ),
    f(
        "monthly_visit_rate",
        Ty::Percent,
        "特殊困难老年人月探访率",
        "monthly visit rate of elderly people in special hardship",
    ),
    f(
        "home_service_share",
        Ty::Percent,
        "接受上门服务老年人比例",
        "share of elderly people receiving home visits",
    ),
    f(
        "homes_adapted",
        Ty::Count,
        "“十四五”以来完成适老化改造的特殊困难老年人家庭 (户)",
        "hardship households adapted for old age since 2021",
    ),
    f(
        "new_homes_adapted",
        Ty::Count,
        "本年新增居家适老化改造家庭 (户)",
        "households adapted for old age this year",
    ),
    f(
        "canteens_built",
        Ty::Count,
        "“十四五”以来建设的老年幸福食堂 (个)",
        "community canteens for the elderly built since 2021",
    ),
    f(
        "new_canteens",
        Ty::Count,
        "本年新增老年幸福食堂 (个)",
        "community canteens for the elderly added this year",
    ),
    f(
        "elder_friendly_communities",
        Ty::Count,
        "示范性老年友好型社区 (个)",
        "elder-friendly model communities",
    ),
    f(
        "new_elder_friendly_communities",
        Ty::Count,
        "本年创建的老年友好型社区 (个)",
        "elder-friendly communities created this year",
    ),
    f(
        "elder_friendly_community_share",
        Ty::Percent,
        "老年友好型社区覆盖率",
        "share of communities that are elder-friendly",
    ),
    f(
        "urban_livable_community_share",
        Ty::Percent,
        "达到老年宜居社区基本条件的城市社区比例",
        "share of urban communities meeting the elderly-livable conditions",
    ),
    f(
        "rural_livable_community_share",
        Ty::Percent,
        "具备老年宜居社区基本条件的农村比例",
        "share of rural communities meeting the elderly-livable conditions",
    ),
    // Elderly care: health, education, people
    f(
        "elderly_health_management_rate",
        Ty::Percent,
        "老年人健康管理率",
        "health-management rate of the elderly",
    ),
    f(
        "geriatrics_department_share",
        Ty::Percent,
        "二级及以上综合性医院设立老年医学科的比例",
        "share of level-2+ general hospitals with a geriatrics department",
    ),
    f(
        "tcm_rehabilitation_share",
        Ty::Percent,
        "三级中医医院设置康复科的比例",
        "share of level-3 TCM hospitals with a rehabilitation department",
    ),
    f(
        "elder_friendly_hospital_share",
        Ty::Percent,
        "符合条件的医疗机构创成老年友善医疗机构的比例",
        "share of eligible medical institutions recognised as elder-friendly",
    ),
    f(
        "primary_care_rehab_bed_share",
        Ty::Percent,
        "基层医疗卫生机构老年康复护理安宁疗护床位占比",
        "share of rehabilitation, nursing and hospice beds in primary care",
    ),
    f(
        "new_geriatric_hospitals",
        Ty::Count,
        "本年新增二级及以上老年医院 (家)",
        "level-2+ geriatric hospitals added this year",
    ),
    f(
        "new_geriatrics_departments",
        Ty::Count,
        "本年新增设立老年医学科的二级及以上综合性医院 (家)",
        "level-2+ general hospitals opening a geriatrics department this year",
    ),
    f(
        "senior_universities",
        Ty::Count,
        "老年大学 (所)",
        "universities for the elderly",
    ),
    f(
        "senior_education_coverage",
        Ty::Percent,
        "乡镇 (街道) 老年教育机构覆盖率 / 老年大学覆盖率",
        "share of townships (streets, counties) with elderly education",
    ),
    f(
        "senior_university_branch_coverage",
        Ty::Percent,
        "建有老年大学分校 (老年学校) 的乡镇 (街道) 比例",
        "share of townships (streets) with a branch of a university for the elderly",
    ),
    f(
        "senior_learning_point_coverage",
        Ty::Percent,
        "建有老年大学学习点的行政村 (社区) 比例",
        "share of villages (communities) with a learning point",
    ),
    f(
        "senior_education_participation",
        Ty::Percent,
        "经常性参加教育活动的老年人比例",
        "share of elderly people in education activities",
    ),
    f(
        "new_elderly_digital_trainees",
        Ty::Count,
        "本年免费培训老年人运用智能技术 (人次)",
        "elderly people trained in digital skills this year (person-times)",
    ),
    f(
        "care_workers_trained",
        Ty::Count,
        "培养 (培训) 养老护理员 (人)",
        "elderly-care workers trained",
    ),
    f(
        "elderly_care_professionals",
        Ty::Count,
        "养老护理专业人才 (人)",
        "elderly-care professionals",
    ),
    f(
        "elderly_volunteer_share",
        Ty::Percent,
        "老年志愿者注册人数占老年人口比例",
        "registered elderly volunteers as a share of the elderly",
    ),
    // Childcare
    f(
        "childcare_demonstration_centres",
        Ty::Count,
        "示范性 (公办、综合) 托育服务机构 (个)",
        "demonstration childcare centres",
    ),
    f(
        "new_childcare_demonstration_centres",
        Ty::Count,
        "本年新增示范性托育机构 (家)",
        "demonstration childcare centres added this year",
    ),
    f(
        "childcare_service_centres",
        Ty::Count,
        "托育综合服务中心、婴幼儿照护服务指导中心 (个)",
        "childcare service and guidance centres",
    ),
    f(
        "inclusive_childcare_institutions",
        Ty::Count,
        "普惠托育服务机构 (家)",
        "inclusive childcare institutions",
    ),
    f(
        "new_inclusive_childcare_institutions",
        Ty::Count,
        "本年新增普惠托育机构 (家)",
        "inclusive childcare institutions added this year",
    ),
    f(
        "township_inclusive_childcare_coverage",
        Ty::Percent,
        "建有普惠托育服务机构的乡镇 (街道) 比例",
        "share of townships (streets) with an inclusive childcare institution",
    ),
    f(
        "township_model_inclusive_childcare_coverage",
        Ty::Percent,
        "建有具有示范效应的普惠托育服务机构的乡镇 (街道) 比例",
        "share of townships (streets) with a model (示范) inclusive childcare institution",
    ),
    f(
        "street_childcare_coverage",
        Ty::Percent,
        "街道 (社区) 托育服务覆盖率",
        "share of streets (communities) with childcare services",
    ),
    f(
        "childcare_network_coverage",
        Ty::Percent,
        "托育服务综合管理网络覆盖率",
        "coverage of the childcare management network",
    ),
    f(
        "complete_community_childcare_rate",
        Ty::Percent,
        "符合条件的完整社区托育服务设施达标率",
        "share of eligible complete communities with a childcare facility up to standard",
    ),
    f(
        "childcare_trained_share",
        Ty::Percent,
        "托育机构从业人员接受专业培训比例",
        "share of childcare staff professionally trained",
    ),
    f(
        "childcare_certified_share",
        Ty::Percent,
        "托育从业人员持证上岗率",
        "share of childcare staff certified",
    ),
    f(
        "childcare_registration_rate",
        Ty::Percent,
        "托育机构登记备案率",
        "share of childcare institutions registered and filed",
    ),
    f(
        "childcare_video_coverage",
        Ty::Percent,
        "托育机构视频接入覆盖率",
        "share of childcare institutions connected to video surveillance",
    ),
    f(
        "childcare_security_rate",
        Ty::Percent,
        "托育机构安保制度建设达标率",
        "share of childcare institutions with security up to standard",
    ),
    f(
        "childcare_professionals",
        Ty::Count,
        "托育服务专业人才 (人)",
        "childcare professionals",
    ),
    f(
        "childcare_trainees",
        Ty::Count,
        "托育服务专业培养规模 (人)",
        "childcare students in training",
    ),
    f(
        "leading_childcare_enterprises",
        Ty::Count,
        "骨干托育企业 (个)",
        "leading childcare enterprises",
    ),
    f(
        "child_social_workers",
        Ty::Count,
        "儿童社会工作者 (人)",
        "social workers for children",
    ),
    f(
        "infant_health_management_rate",
        Ty::Percent,
        "婴幼儿健康管理率",
        "health-management rate of infants",
    ),
    f(
        "child_system_management_rate",
        Ty::Percent,
        "0-3岁儿童系统管理率",
        "systematic health-management rate of children 0-3",
    ),
    f(
        "newborn_visit_rate",
        Ty::Percent,
        "新生儿访视率",
        "newborn home-visit rate",
    ),
    f(
        "vaccination_record_rate",
        Ty::Percent,
        "预防接种建证率",
        "vaccination-record rate",
    ),
    f(
        "early_development_awareness",
        Ty::Percent,
        "婴幼儿早期发展知识普及率",
        "reach of early-development knowledge",
    ),
    f(
        "parenting_guidance_rate",
        Ty::Percent,
        "家长及婴幼儿照护者接受科学育儿指导率",
        "share of parents and carers receiving parenting guidance",
    ),
    f(
        "new_kindergartens_started",
        Ty::Count,
        "本年新开工幼儿园 (所)",
        "kindergartens started this year",
    ),
    f(
        "quality_kindergarten_coverage",
        Ty::Percent,
        "省市优质幼儿园覆盖率",
        "coverage of provincial and city quality kindergartens",
    ),
];

/// Every table of fields, for what reads them all (rhai getters, docs).
pub const TABLES: &[&[Field]] = &[
    SUBMISSION,
    ESTATE,
    SCHEDULE,
    FACILITY,
    INSTITUTION,
    HOSPITAL,
    VENUE,
    REGION,
    INDICATORS,
];

/// Pairs `(part, whole)` where part may not exceed whole in one record.
pub const PART_OF: &[(&str, &str)] = &[
    ("nursing_beds", "beds"),
    ("inclusive_slots", "slots"),
    ("certified_staff", "staff"),
    ("trained_staff", "staff"),
    ("inclusive_beds", "beds"),
    ("rehab_care_beds", "beds"),
    ("nursing_beds", "elderly_beds"),
    ("institution_beds", "elderly_beds"),
    ("institution_nursing_beds", "institution_beds"),
    ("institution_nursing_beds", "nursing_beds"),
    ("inclusive_slots", "childcare_slots"),
    ("elderly_population", "population"),
];

/// The values a field can take when they are a closed set.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClosedSet {
    Bool,
    Words(&'static [&'static str]),
}

/// The field a path names (`institutions[0].operator`,
/// `region.indicators.day_care_coverage`, `facilities[1].schedule.planned`),
/// found through the sections and their nested records.
pub fn field_at(path: &str) -> Option<&'static Field> {
    let mut segments = path.split('.');
    let head = segments.next()?;
    let section = head.split('[').next().unwrap_or(head);
    let mut fields: &'static [Field] = match section {
        "submission" => SUBMISSION,
        "estate" => ESTATE,
        "facilities" => FACILITY,
        "institutions" => INSTITUTION,
        "hospitals" => HOSPITAL,
        "venues" => VENUE,
        "region" => REGION,
        _ => return None,
    };
    let mut field: Option<&'static Field> = None;
    for name in segments {
        match field.map(|f| f.ty) {
            Some(Ty::Nested(inner)) => fields = inner,
            Some(_) => return None,
            None => {}
        }
        field = Some(fields.iter().find(|f| f.name == name)?);
    }
    field
}

/// For a field's path (`institutions[0].operator`), the closed set of
/// values it can take, if it has one.
pub fn closed_set(path: &str) -> Option<ClosedSet> {
    match field_at(path)?.ty {
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
        assert_eq!(
            closed_set("region.scope"),
            Some(ClosedSet::Words(REGION_SCOPES))
        );
        assert_eq!(
            field_at("region.indicators.medical_integration_rate").map(|f| f.ty),
            Some(Ty::Percent)
        );
        assert_eq!(
            field_at("facilities[2].schedule.delivery").map(|f| f.name),
            Some("delivery")
        );
    }

    #[test]
    fn every_facility_kind_has_its_chinese_name() {
        let named: Vec<&str> = FACILITY_KINDS_ZH.iter().map(|(k, _)| *k).collect();
        assert_eq!(named, FACILITY_KINDS);
    }

    #[test]
    fn every_closed_set_word_has_a_chinese_term() {
        // Every word of every closed set a field takes (walked from the
        // sections, so a new set cannot be left out), and only those.
        fn walk(fields: &[Field], out: &mut Vec<&'static str>) {
            for f in fields {
                match f.ty {
                    Ty::Enum(words) => out.extend_from_slice(words),
                    Ty::Bool => out.extend(["true", "false"]),
                    Ty::Nested(inner) => walk(inner, out),
                    _ => {}
                }
            }
        }
        let mut used = Vec::new();
        for t in TABLES {
            walk(t, &mut used);
        }
        for w in closed_words() {
            assert!(used.contains(&w), "{w} is in no field's closed set");
        }
        for w in &used {
            let zh = term_zh(w).unwrap_or_else(|| panic!("{w} has no Chinese term"));
            assert!(!zh.is_empty() && !zh.is_ascii(), "{w}: {zh}");
            assert_eq!(termed(w), format!("{zh} ({w})"));
        }
        let mut words: Vec<&str> = TERMS.iter().map(|(w, _)| *w).collect();
        let all = words.len();
        words.sort_unstable();
        words.dedup();
        assert_eq!(words.len(), all, "a word with two terms");
        for w in &words {
            assert!(used.contains(w), "{w} has a term but is in no closed set");
        }
        assert_eq!(termed("clinic"), "诊所 (clinic)");
        assert_eq!(termed("I1"), "I1");
    }
}
