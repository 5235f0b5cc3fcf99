//! The desk's words, Chinese and English: the pages' catalogue. A page
//! template says `t.key`; every key has both languages (a test checks).

use crate::plan::Lang;
use std::collections::BTreeMap;

/// (key, zh, en)
const WORDS: &[(&str, &str, &str)] = &[
    ("desk", "配套审查台", "Review desk"),
    ("login", "登录", "Log in"),
    ("logout", "退出", "Log out"),
    ("name", "用户名", "Name"),
    ("password", "密码", "Password"),
    ("queue", "受理队列", "Queue"),
    ("upload", "上传申报", "Upload a filing"),
    (
        "upload_file",
        "申报文件（YAML 或 .xlsx）",
        "Submission file (YAML or .xlsx)",
    ),
    ("resubmit", "提交新版本（补正）", "Resubmit (new version)"),
    ("org", "单位", "Organisation"),
    ("submit", "提交", "Submit"),
    ("filter", "筛选", "Filter"),
    (
        "search",
        "受理编号、项目名称或申报编号",
        "Intake number, project name or submission id",
    ),
    ("plan", "规划", "Plan"),
    ("status", "状态", "Status"),
    ("applicant", "申报单位", "Applicant"),
    ("reviewer", "审查人", "Reviewer"),
    ("from", "自", "From"),
    ("to", "至", "To"),
    ("intake_no", "受理编号", "Intake number"),
    ("project", "项目", "Project"),
    ("submission_id", "申报编号", "Submission id"),
    ("version", "版本", "Version"),
    ("versions", "版本历史", "Version history"),
    ("findings", "问题", "Findings"),
    ("finding", "问题", "Finding"),
    ("no_findings", "未发现问题。", "No findings."),
    ("created", "受理时间", "Received"),
    ("updated", "更新时间", "Updated"),
    ("any", "全部", "any"),
    ("st_submitted", "待审查", "submitted"),
    ("st_invalid", "无法读取", "invalid"),
    ("st_approved", "通过", "approved"),
    ("st_correction", "补正", "returned for correction"),
    ("st_rejected", "不予通过", "rejected"),
    ("source", "申报原文", "Submission text"),
    ("download", "下载原文件", "Download the file"),
    ("rule", "规则", "Rule"),
    ("severity", "级别", "Severity"),
    ("subject", "对象", "Subject"),
    ("required", "要求", "Required"),
    ("provided", "实际", "Provided"),
    ("clause", "条文", "Clause"),
    ("document_number", "文号", "Document number"),
    (
        "also_clauses",
        "同一要求的其他条文",
        "Other clauses stating it",
    ),
    ("value", "取值", "Value"),
    ("new", "新增", "new"),
    ("unchanged", "未改", "unchanged"),
    ("fixed", "已改正", "fixed"),
    ("fixed_here", "本版本已改正的问题", "Fixed in this version"),
    (
        "compare",
        "与上一版本比较",
        "Compared with the previous version",
    ),
    ("waived", "已豁免", "waived"),
    ("waivers", "豁免", "Waivers"),
    ("waiver", "豁免", "Waiver"),
    ("grant_waiver", "批准豁免", "Grant a waiver"),
    ("scope", "范围", "Scope"),
    ("scope_finding", "此问题", "this finding"),
    (
        "scope_rule",
        "本申报的此条规则",
        "this rule, for this filing",
    ),
    ("reason", "理由", "Reason"),
    ("expires", "有效期至", "Expires"),
    ("approver", "批准人", "Approver"),
    ("comments", "意见", "Comments"),
    ("comment", "添加意见", "Add a comment"),
    ("decision", "审查决定", "Decision"),
    ("decide", "记录决定", "Record the decision"),
    ("approve", "通过", "Approve"),
    ("correct", "补正", "Return for correction"),
    ("reject", "不予通过", "Reject"),
    ("opinion_text", "审查意见", "Opinion"),
    ("opinion", "审查意见书", "Review opinion"),
    ("print", "打印", "Print"),
    ("office", "审查机关", "Office"),
    ("date", "日期", "Date"),
    ("no_decision", "尚未作出决定。", "No decision recorded yet."),
    ("ledger", "台账", "Ledger"),
    ("ledger_csv", "导出台账 CSV", "Ledger as CSV"),
    ("ledger_xlsx", "导出台账 Excel", "Ledger as Excel"),
    ("users", "用户", "Users"),
    ("audit", "审计日志", "Audit log"),
    ("audit_csv", "导出审计日志 CSV", "Audit log as CSV"),
    ("role", "角色", "Role"),
    ("display", "显示名称", "Display name"),
    ("active", "启用", "Active"),
    ("create_user", "新建用户", "Create a user"),
    ("save", "保存", "Save"),
    ("new_password", "新密码（可空）", "New password (optional)"),
    ("time", "时间", "Time"),
    ("user", "用户", "User"),
    ("action", "操作", "Action"),
    ("target", "对象", "Target"),
    ("detail", "详情", "Detail"),
    ("request_id", "请求编号", "Request id"),
    (
        "input_errors",
        "文件无法检查：",
        "The file could not be checked:",
    ),
    (
        "invalid_note",
        "此版本无法读取，未进行检查（不视为通过）。",
        "This version could not be read and was not checked (never a pass).",
    ),
    ("error", "错误", "Error"),
    ("back", "返回", "Back"),
    ("other_lang", "English", "中文"),
    ("file_status", "检查结果", "Check result"),
    ("fs_clean", "无问题", "clean"),
    ("fs_findings", "有问题", "findings"),
    ("fs_invalid", "无法读取", "invalid"),
    ("fs_unreadable", "无法读取", "unreadable"),
    ("fs_no_rule_applies", "无适用规则", "no rule applies"),
    ("whole_filing", "（整个申报）", "(the whole filing)"),
    ("violated", "不符合", "violated"),
    ("cannot_be_checked", "无法检查", "cannot be checked"),
    ("rule_error", "规则错误", "rule error"),
    ("sev_error", "错误", "error"),
    ("sev_warning", "警告", "warning"),
    ("signature", "审查人（签字）", "Reviewer (signature)"),
    ("seal", "（盖章）", "(seal)"),
    ("none", "无", "none"),
    ("by", "由", "by"),
    ("count", "数量", "Count"),
    ("gate", "结论", "Gate"),
    (
        "gate_pass",
        "符合（按本机关 fail_on）",
        "passes (the office's fail_on)",
    ),
    (
        "gate_fail",
        "不符合（按本机关 fail_on）",
        "fails (the office's fail_on)",
    ),
    (
        "gate_not_checked",
        "未检查（不视为通过）",
        "not checked (never a pass)",
    ),
];

/// Every word in one language, for a template's `t`.
pub fn table(lang: Lang) -> BTreeMap<&'static str, &'static str> {
    WORDS
        .iter()
        .map(|&(k, zh, en)| (k, if lang == Lang::En { en } else { zh }))
        .collect()
}

/// One word.
pub fn word(key: &str, lang: Lang) -> &'static str {
    WORDS
        .iter()
        .find(|w| w.0 == key)
        .map_or("", |&(_, zh, en)| if lang == Lang::En { en } else { zh })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_word_is_said_in_both_languages_once() {
        let mut seen = std::collections::HashSet::new();
        for (k, zh, en) in WORDS {
            assert!(seen.insert(*k), "{k} twice");
            assert!(!zh.is_empty() && !en.is_empty(), "{k}");
        }
        assert_eq!(word("approve", Lang::Zh), "通过");
        assert_eq!(word("approve", Lang::En), "Approve");
    }
}
