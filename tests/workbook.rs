//! Workbooks (docs/workbooks.md): the template, reading a submission
//! workbook with every problem located at its cell, the round trip of
//! every example through a workbook, the bounds on hostile workbooks, and
//! the xlsx ledger read back cell by cell.

mod common;

use calamine::{Data, Reader};
use peitao::input::format;
use peitao::input::workbook::{self, Layout, SHEETS};
use std::io::Read as _;
use std::path::{Path, PathBuf};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn open(path: &Path) -> calamine::Xlsx<std::io::BufReader<std::fs::File>> {
    calamine::open_workbook(path).expect("a workbook calamine reads")
}

fn text(range: &calamine::Range<Data>, row: u32, col: u32) -> String {
    match range.get_value((row, col)) {
        Some(Data::String(s)) => s.clone(),
        Some(Data::Float(f)) => f.to_string(),
        Some(Data::Int(i)) => i.to_string(),
        Some(Data::Bool(b)) => b.to_string(),
        Some(Data::Empty) | None => String::new(),
        Some(other) => format!("{other:?}"),
    }
}

/// The XML of one sheet (1-based, in workbook order) of an xlsx.
fn sheet_xml(path: &Path, n: usize) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut xml = String::new();
    zip.by_name(&format!("xl/worksheets/sheet{n}.xml"))
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    xml
}

#[test]
fn the_template_has_a_sheet_per_record_kind_with_headers_notes_and_drop_downs() {
    let dir = common::tempdir("wb-template");
    let out = dir.join("x.xlsx");
    let (_, err, code) = common::peitao(&[
        "template",
        "xlsx",
        "--plan",
        "十堰",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let mut book = open(&out);
    let mut names = vec![workbook::README_SHEET.to_string()];
    names.extend(SHEETS.iter().map(|s| s.name.to_string()));
    assert_eq!(book.sheet_names(), names);

    for (n, sheet) in SHEETS.iter().enumerate() {
        let range = book.worksheet_range(sheet.name).unwrap();
        let columns = sheet.columns();
        for (i, c) in columns.iter().enumerate() {
            let (label, key) = match sheet.layout {
                Layout::Table => (text(&range, 0, i as u32), text(&range, 1, i as u32)),
                Layout::Form => (text(&range, i as u32 + 1, 0), text(&range, i as u32 + 1, 1)),
            };
            assert_eq!(key, c.key, "{} key {i}", sheet.name);
            assert_eq!(label, workbook::header(c.field), "{} label {i}", sheet.name);
            // Every key the sheet offers is a field of the format.
            if c.key != "version" {
                assert!(
                    format::field_at(&format!("{}.{}", sheet.section, c.key)).is_some(),
                    "{}",
                    c.key
                );
            }
        }
        // Units in headers, notes on every column, drop-downs for closed sets.
        let xml = sheet_xml(&out, n + 2);
        for c in &columns {
            if let format::Ty::Enum(words) = c.field.ty {
                let list = format!("\"{}\"", words.join(","));
                assert!(xml.contains(&list), "{}: no drop-down {list}", sheet.name);
            }
        }
        if columns.iter().any(|c| c.field.ty == format::Ty::Bool) {
            assert!(xml.contains("\"true,false\""), "{}", sheet.name);
        }
    }
    let facilities = book.worksheet_range("设施").unwrap();
    assert_eq!(text(&facilities, 0, 3), "建筑面积 (㎡)");
    assert!(
        (0..40).any(|c| text(&facilities, 1, c) == "schedule.planned"),
        "no schedule.planned key in 设施"
    );
    // The filing: version 1 and the plan asked for, by its id.
    let filing = book.worksheet_range("申报").unwrap();
    assert_eq!(
        (text(&filing, 1, 1), text(&filing, 1, 2)),
        ("version".into(), "1".into())
    );
    assert_eq!(text(&filing, 4, 1), "jurisdiction");
    assert_eq!(text(&filing, 4, 2), "shiyan");
    // Notes: one per column of every sheet (the workbook's comments parts).
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&out).unwrap()).unwrap();
    let mut notes = 0;
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        if f.name().unwrap().starts_with("xl/comments") {
            let mut xml = String::new();
            f.read_to_string(&mut xml).unwrap();
            notes += xml.matches("<comment ").count();
        }
    }
    let columns: usize = SHEETS.iter().map(|s| s.columns().len()).sum();
    assert_eq!(notes, columns);

    // A blank template is a valid submission no rule applies to yet.
    let (out, _, code) = common::peitao(&["check", out.to_str().unwrap(), "--lang", "en"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("no rule"), "{out}");

    let (_, err, code) = common::peitao(&["template", "xlsx", "--plan", "十偃", "-o", "/dev/null"]);
    assert_eq!(code, 2);
    assert!(err.contains("十堰"), "{err}");
}

fn examples() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(root().join("examples"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    v.sort();
    v
}

/// What a run's JSON report says of each file: its findings' rule, status,
/// severity, subject and message, and its input errors' codes.
fn verdicts(paths: &[&str]) -> Vec<(String, serde_json::Value)> {
    let mut args = vec!["check", "--format", "json", "--lang", "zh"];
    args.extend(paths);
    let (out, err, _) = common::peitao(&args);
    let report: serde_json::Value =
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {err}"));
    report["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let stem = Path::new(f["path"].as_str().unwrap())
                .file_stem()
                .unwrap()
                .to_string_lossy()
                .into_owned();
            let findings: Vec<serde_json::Value> = f["findings"]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| {
                    serde_json::json!([
                        x["rule"],
                        x["status"],
                        x["severity"],
                        x["subject"],
                        x["message"]
                    ])
                })
                .collect();
            let errors: Vec<&serde_json::Value> = f["input_errors"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| &e["code"])
                .collect();
            (
                stem,
                serde_json::json!({"status": f["status"], "findings": findings, "errors": errors}),
            )
        })
        .collect()
}

#[test]
fn every_example_checks_the_same_through_a_workbook() {
    let dir = common::tempdir("wb-roundtrip");
    let examples = examples();
    assert!(examples.len() >= 50);
    for e in &examples {
        let yaml = std::fs::read_to_string(e).unwrap();
        let book =
            workbook::from_yaml(&yaml).unwrap_or_else(|why| panic!("{}: {why}", e.display()));
        let name = e.file_stem().unwrap().to_string_lossy().into_owned() + ".xlsx";
        std::fs::write(dir.join(name), book).unwrap();
    }
    let yaml = verdicts(&["examples"]);
    let books = verdicts(&[dir.to_str().unwrap()]);
    assert_eq!(yaml.len(), examples.len());
    assert_eq!(books.len(), examples.len());
    let mut findings = 0;
    for (a, b) in yaml.iter().zip(&books) {
        assert_eq!(a, b, "{}", a.0);
        findings += a.1["findings"].as_array().unwrap().len();
    }
    assert!(
        findings > 100,
        "the examples have findings to compare ({findings})"
    );
}

#[test]
fn a_bad_cell_is_named_in_both_languages() {
    let dir = common::tempdir("wb-bad");
    let yaml = std::fs::read_to_string(root().join("examples/shiyan-compliant.yaml"))
        .unwrap()
        .replace("households: 2600", "households: 很多")
        .replace("status: new", "status: brand_new");
    assert!(yaml.contains("很多") && yaml.contains("brand_new"));
    let path = dir.join("bad.xlsx");
    std::fs::write(&path, workbook::from_yaml(&yaml).unwrap()).unwrap();
    let p = path.to_str().unwrap();
    // 居住区: row 1 the header, then name, status, households.
    let (en, _, code) = common::peitao(&["check", p, "--lang", "en"]);
    assert_eq!(code, 2, "{en}");
    assert!(en.contains("input::wrong-type"), "{en}");
    assert!(
        en.contains("居住区!C4: expected a whole number, found a string"),
        "{en}"
    );
    assert!(en.contains("input::unknown-value"), "{en}");
    assert!(en.contains("居住区!C3: unknown status `brand_new`"), "{en}");
    let (zh, _, _) = common::peitao(&["check", p, "--lang", "zh"]);
    assert!(zh.contains("居住区!C4: 应为整数, 实际是字符串"), "{zh}");
    assert!(
        zh.contains("居住区!C3: `status` 的值 `brand_new` 不在允许的范围内"),
        "{zh}"
    );
    // The ledger names the cells too.
    let ledger = dir.join("ledger.xlsx");
    let r = format!("xlsx={}", ledger.display());
    common::peitao(&["check", p, "--report", &r, "--lang", "en", "-q"]);
    let mut book = open(&ledger);
    let findings = book.worksheet_range("Findings").unwrap();
    let places: Vec<String> = (1..findings.height() as u32)
        .map(|r| text(&findings, r, 1))
        .collect();
    assert!(places.contains(&"居住区!C3".to_string()), "{places:?}");
    assert!(places.contains(&"居住区!C4".to_string()), "{places:?}");
}

#[test]
fn a_finding_points_at_its_cell() {
    let dir = common::tempdir("wb-finding");
    let yaml = std::fs::read_to_string(root().join("examples/shiyan-violating.yaml")).unwrap();
    let path = dir.join("v.xlsx");
    std::fs::write(&path, workbook::from_yaml(&yaml).unwrap()).unwrap();
    let (out, _, code) = common::peitao(&["check", path.to_str().unwrap(), "--lang", "en"]);
    assert_eq!(code, 1, "{out}");
    // elderly-space-new underlines the first facility's floor area: 设施 D3.
    let at = out.find("shiyan.elderly-space-new").expect("the finding");
    assert!(out[at..].contains("设施!D3: "), "{out}");
}

#[test]
fn hostile_workbooks_are_refused_before_they_are_unpacked() {
    let dir = common::tempdir("wb-hostile");
    // Not a zip at all.
    let junk = dir.join("junk.xlsx");
    std::fs::write(&junk, b"PK\x03\x04 not really").unwrap();
    // A zip bomb: 32 MiB of zeros in a few kilobytes.
    let bomb = dir.join("bomb.xlsx");
    {
        let mut zip = zip::ZipWriter::new(std::fs::File::create(&bomb).unwrap());
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        zip.start_file("xl/worksheets/sheet1.xml", options).unwrap();
        let zeros = vec![b' '; 1 << 20];
        for _ in 0..32 {
            std::io::Write::write_all(&mut zip, &zeros).unwrap();
        }
        zip.finish().unwrap();
    }
    assert!(std::fs::metadata(&bomb).unwrap().len() < 200_000);
    // More facility rows than --max-records allows.
    let mut yaml = String::from(
        "version: 1\nsubmission: {jurisdiction: shiyan, filed: 2025-03-01}\nfacilities:\n",
    );
    for i in 0..20 {
        yaml.push_str(&format!("  - {{id: F{i}, kind: childcare}}\n"));
    }
    let many = dir.join("many.xlsx");
    std::fs::write(&many, workbook::from_yaml(&yaml).unwrap()).unwrap();
    // Excel's lock file beside an open workbook is not a submission.
    std::fs::write(dir.join("~$many.xlsx"), b"lock").unwrap();

    let (out, err, code) = common::peitao(&[
        "check",
        dir.to_str().unwrap(),
        "--max-file-size",
        "1000000",
        "--max-records",
        "5",
        "--lang",
        "en",
        "--format",
        "json",
    ]);
    assert_eq!(code, 2, "{err}");
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    let files = report["files"].as_array().unwrap();
    let message = |name: &str| {
        let f = files
            .iter()
            .find(|f| f["path"].as_str().unwrap().ends_with(name))
            .unwrap_or_else(|| panic!("{name} in {out}"));
        assert_eq!(f["status"], "invalid", "{name}");
        assert_eq!(f["input_errors"][0]["code"], "bad-workbook", "{name}");
        f["input_errors"][0]["message"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert!(message("junk.xlsx").starts_with("not a workbook peitao can read"));
    assert!(message("bomb.xlsx").contains("unpacks to 33554432 bytes, over the limit of 8000000"));
    assert!(
        message("many.xlsx").contains("cell 设施!A8 is beyond"),
        "{out}"
    );
    assert_eq!(files.len(), 3, "the lock file is not read: {out}");
}

#[test]
fn the_ledger_reads_back_cell_by_cell() {
    let dir = common::tempdir("wb-ledger");
    let subs = dir.join("subs");
    std::fs::create_dir_all(&subs).unwrap();
    let violating = std::fs::read_to_string(root().join("examples/shiyan-violating.yaml")).unwrap();
    std::fs::write(subs.join("a-violating.yaml"), &violating).unwrap();
    std::fs::copy(
        root().join("examples/shiyan-compliant.yaml"),
        subs.join("b-clean.yaml"),
    )
    .unwrap();
    std::fs::write(subs.join("c-invalid.yaml"), "version: 2\n").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(dir.join("nowhere"), subs.join("d-gone.yaml")).unwrap();
    let config = dir.join("peitao.toml");
    std::fs::write(
        &config,
        "[[waiver]]\nrule = \"shiyan.social-workers\"\nsubmission = \"SY-2025-0042\"\npath = \"*a-violating.yaml\"\n\
         reason = \"第二名社工已签约\"\napproved_by = \"王科长\"\nexpires = \"2099-06-30\"\n",
    )
    .unwrap();
    let ledger = dir.join("ledger.xlsx");
    let report = format!("xlsx={}", ledger.display());
    let json = dir.join("r.json");
    let json_report = format!("json={}", json.display());
    let (_, err, code) = common::peitao(&[
        "check",
        subs.to_str().unwrap(),
        "--config",
        config.to_str().unwrap(),
        "--report",
        &report,
        "--report",
        &json_report,
        "--lang",
        "zh",
        "-q",
    ]);
    assert_eq!(code, 2, "{err}");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    let mut book = open(&ledger);
    assert_eq!(book.sheet_names(), ["汇总", "问题"]);

    let summary = book.worksheet_range("汇总").unwrap();
    let heads: Vec<String> = (0..11).map(|c| text(&summary, 0, c)).collect();
    assert_eq!(
        heads,
        [
            "文件",
            "项目名称",
            "申报编号",
            "规划",
            "结果",
            "错误",
            "警告",
            "无法核查",
            "规则错误",
            "已豁免",
            "输入错误"
        ]
    );
    let files = if cfg!(unix) { 4 } else { 3 };
    assert_eq!(summary.height(), files + 1);
    let row = |r: u32| -> Vec<String> { (0..11).map(|c| text(&summary, r, c)).collect() };
    let a = row(1);
    assert!(a[0].ends_with("a-violating.yaml"));
    assert_eq!(
        &a[1..5],
        ["阳光花园二期住宅项目", "SY-2025-0042", "shiyan", "findings"]
    );
    let f0 = &json["files"][0];
    let count = |status: &str, severity: Option<&str>| {
        f0["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["status"] == status)
            .filter(|f| severity.is_none_or(|s| f["severity"] == s))
            .count()
            .to_string()
    };
    assert_eq!(a[5], count("violated", Some("error")));
    assert_eq!(a[6], count("violated", Some("warning")));
    assert_eq!(a[7], count("cannot_be_checked", None));
    assert_eq!(
        (a[8].as_str(), a[9].as_str(), a[10].as_str()),
        ("0", "1", "0")
    );
    assert_eq!(row(2)[4], "clean");
    assert_eq!((row(2)[5].as_str(), row(2)[6].as_str()), ("0", "0"));
    assert_eq!((row(3)[4].as_str(), row(3)[10].as_str()), ("invalid", "1"));
    if cfg!(unix) {
        assert_eq!(row(4)[4], "unreadable");
    }

    let findings = book.worksheet_range("问题").unwrap();
    let heads: Vec<String> = (0..16).map(|c| text(&findings, 0, c)).collect();
    assert_eq!(heads[0], "文件");
    assert_eq!(&heads[12..], ["豁免理由", "批准人", "豁免到期", "基线"]);
    // One row per finding of the JSON report, in its order, then the
    // invalid file's input error and the unreadable file.
    let listed = f0["findings"].as_array().unwrap();
    for (i, f) in listed.iter().enumerate() {
        let r = i as u32 + 1;
        assert_eq!(text(&findings, r, 4), f["rule"].as_str().unwrap());
        assert_eq!(text(&findings, r, 5), f["severity"].as_str().unwrap());
        let waived = f["waiver"]["state"] == "waived";
        let status = if waived {
            "waived"
        } else {
            f["status"].as_str().unwrap()
        };
        assert_eq!(text(&findings, r, 6), status);
        assert_eq!(text(&findings, r, 8), f["message"].as_str().unwrap());
        let at = &f["primary"][0]["location"];
        let place = match (at["line"].as_u64(), at["column"].as_u64()) {
            (Some(l), Some(c)) => format!("{l}:{c}"),
            _ => String::new(),
        };
        assert_eq!(text(&findings, r, 1), place, "row {r}");
        assert_eq!(
            text(&findings, r, 12),
            if waived {
                "第二名社工已签约"
            } else {
                ""
            }
        );
        assert_eq!(text(&findings, r, 13), if waived { "王科长" } else { "" });
        assert_eq!(
            text(&findings, r, 14),
            if waived { "2099-06-30" } else { "" }
        );
    }
    assert!(listed.iter().any(|f| f["waiver"]["state"] == "waived"));
    let r = listed.len() as u32 + 1;
    assert_eq!(text(&findings, r, 4), "input::unsupported-version");
    assert_eq!(text(&findings, r, 6), "invalid_input");
    if cfg!(unix) {
        assert_eq!(text(&findings, r + 1, 6), "unreadable");
    }

    // English headers with --lang en.
    let (_, _, _) = common::peitao(&[
        "check",
        subs.join("b-clean.yaml").to_str().unwrap(),
        "--report",
        &report,
        "--lang",
        "en",
        "-q",
    ]);
    let mut book = open(&ledger);
    assert_eq!(book.sheet_names(), ["Summary", "Findings"]);
    let summary = book.worksheet_range("Summary").unwrap();
    assert_eq!(text(&summary, 0, 1), "project");
    assert_eq!(text(&summary, 1, 4), "clean");
}

/// Whether `s` names a cell of one of the workbook's sheets (`居住区!C7`).
fn is_cell(s: &str) -> bool {
    let Some((sheet, at)) = s.split_once('!') else {
        return false;
    };
    let letters = at.trim_end_matches(|c: char| c.is_ascii_digit());
    SHEETS.iter().any(|x| x.name == sheet)
        && !letters.is_empty()
        && letters.bytes().all(|b| b.is_ascii_uppercase())
        && letters.len() < at.len()
}

#[test]
fn every_report_format_names_the_cell() {
    let dir = common::tempdir("wb-formats");
    // Every example as a workbook, and one with input errors.
    for e in examples() {
        let yaml = std::fs::read_to_string(&e).unwrap();
        let name = e.file_stem().unwrap().to_string_lossy().into_owned() + ".xlsx";
        std::fs::write(dir.join(name), workbook::from_yaml(&yaml).unwrap()).unwrap();
    }
    let bad = std::fs::read_to_string(root().join("examples/shiyan-compliant.yaml"))
        .unwrap()
        .replace("households: 2600", "households: 很多");
    std::fs::write(dir.join("zz-bad.xlsx"), workbook::from_yaml(&bad).unwrap()).unwrap();
    let d = dir.to_str().unwrap();
    let run = |format: &str| {
        let (out, err, _) = common::peitao(&["check", d, "--format", format, "--lang", "zh"]);
        assert!(!out.is_empty(), "{format}: {err}");
        out
    };

    // JSON: every location of every workbook has its cell, beside line
    // and column (the property over all examples).
    let json: serde_json::Value = serde_json::from_str(&run("json")).unwrap();
    let mut located = 0;
    for f in json["files"].as_array().unwrap() {
        let places = f["findings"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|x| {
                x["primary"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .chain(x["inputs"].as_array().unwrap())
            })
            .map(|v| &v["location"])
            .chain(
                f["input_errors"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|e| &e["location"]),
            );
        for at in places {
            let cell = at["cell"]
                .as_str()
                .unwrap_or_else(|| panic!("{}: {at}", f["path"]));
            assert!(is_cell(cell), "{cell}");
            assert!(at["line"].as_u64().is_some());
            located += 1;
        }
    }
    assert!(located > 100, "{located}");
    let bad_file = json["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"].as_str().unwrap().ends_with("zz-bad.xlsx"))
        .unwrap();
    assert_eq!(bad_file["input_errors"][0]["location"]["cell"], "居住区!C4");
    let space = |f: &serde_json::Value| {
        f["path"]
            .as_str()
            .unwrap()
            .ends_with("shiyan-violating.xlsx")
    };
    let violating = json["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| space(f))
        .unwrap();
    let finding = violating["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "shiyan.elderly-space-new")
        .unwrap();
    assert_eq!(finding["primary"][0]["location"]["cell"], "设施!D3");

    // SARIF: valid, with the cell as a logical location and a property,
    // no text region into the xlsx, and the message led by the cell.
    let sarif: serde_json::Value = serde_json::from_str(&run("sarif")).unwrap();
    {
        let mut schemas = boon::Schemas::new();
        let path = root().join("tests/schemas/sarif-schema-2.1.0.json");
        let index = boon::Compiler::new()
            .compile(path.to_str().unwrap(), &mut schemas)
            .unwrap();
        if let Err(e) = schemas.validate(&sarif, index) {
            panic!("the SARIF of workbooks is not valid SARIF 2.1.0:\n{e:#}");
        }
    }
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert!(!results.is_empty());
    for r in results {
        let at = &r["locations"][0];
        let cell = at["properties"]["cell"]
            .as_str()
            .unwrap_or_else(|| panic!("{r}"));
        assert!(is_cell(cell), "{cell}");
        assert_eq!(at["logicalLocations"][0]["fullyQualifiedName"], cell);
        assert!(at["physicalLocation"].get("region").is_none(), "{r}");
        assert!(r["message"]["text"]
            .as_str()
            .unwrap()
            .starts_with(&format!("{cell}: ")));
    }
    assert!(results
        .iter()
        .any(|r| r["locations"][0]["properties"]["cell"] == "设施!D3"
            && r["ruleId"] == "shiyan.elderly-space-new"));

    // CSV: the location column holds the cell, for findings and input errors.
    let csv_out = run("csv");
    let mut reader = csv::Reader::from_reader(csv_out.trim_start_matches('\u{FEFF}').as_bytes());
    let heads: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    let (loc, rule) = (
        heads.iter().position(|h| h == "位置").unwrap(),
        heads.iter().position(|h| h == "规则").unwrap(),
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let with_rule: Vec<_> = rows.iter().filter(|r| !r[rule].is_empty()).collect();
    assert!(with_rule.len() > 100);
    for r in &with_rule {
        assert!(r[loc].is_empty() || is_cell(&r[loc]), "{r:?}");
    }
    assert!(with_rule
        .iter()
        .any(|r| &r[rule] == "input::wrong-type" && &r[loc] == "居住区!C4"));
    assert!(with_rule
        .iter()
        .any(|r| &r[rule] == "shiyan.elderly-space-new" && &r[loc] == "设施!D3"));

    // GitHub annotations: no line of the xlsx, the cell in the message.
    let gh = run("github");
    let space_line = gh
        .lines()
        .find(|l| l.contains("shiyan-violating.xlsx") && l.contains("shiyan.elderly-space-new"))
        .unwrap();
    assert!(!space_line.contains(",line="), "{space_line}");
    assert!(space_line.contains("::设施!D3: "), "{space_line}");
    assert!(gh
        .lines()
        .any(|l| l.contains("zz-bad.xlsx") && l.contains("::居住区!C4: ")));

    // HTML: the note names the cell.
    let html = run("html");
    assert!(html.contains("<span class=\"cell\">设施!D3</span>"));
    assert!(html.contains("<span class=\"cell\">居住区!C4</span>"));

    // The terminal (already) and the xlsx ledger (the_ledger… above) too.
    let human = run("human");
    assert!(human.contains("居住区!C4: 应为整数"), "{human}");
}
