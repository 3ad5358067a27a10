//! Plans saved through LibreOffice Calc as .xlsx, .xlsm, .ods and .xls
//! (fixtures made by `tests/fixtures/make-office-fixtures.sh`) read to the
//! same cover, metrics and findings as the files our own writer made.

use crate::util::*;
use csu_assess::examples::find;
use csu_assess::plan::{self, WorkbookFormat};

fn compare_with_original(stem: &str) {
    let original = import(&find(stem).expect("example").workbook().expect("written"));
    for (ext, format) in [
        ("xlsx", WorkbookFormat::Xlsx),
        ("xlsm", WorkbookFormat::Xlsx),
        ("ods", WorkbookFormat::Ods),
        ("xls", WorkbookFormat::Xls),
    ] {
        let path = fixture(&format!("libreoffice-{stem}.{ext}"));
        let p = plan::import(&path).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(p.source.format, format, "{ext}");
        assert_eq!(p.cover.csu_name, original.cover.csu_name, "{ext}");
        assert_eq!(p.cover.submission_date, original.cover.submission_date, "{ext}");
        for (name, value) in &original.metrics.0 {
            let got = p.metrics.0.get(name).cloned().flatten();
            match (value, &got) {
                (Some(plan::MetricValue::Number(a)), Some(plan::MetricValue::Number(b))) => {
                    assert!(close(*a, *b), "{stem}.{ext} {name}: {b} vs {a}")
                }
                _ => assert_eq!(&got, value, "{stem}.{ext} {name}"),
            }
        }
        let locations = |p: &plan::Plan| p.findings.iter().map(|f| f.location()).collect::<Vec<_>>();
        assert_eq!(locations(&p), locations(&original), "{stem}.{ext} findings: {:#?}", p.findings);
    }
}

#[test]
fn strong_full_plan_through_libreoffice() {
    compare_with_original("northern-star-full");
}

#[test]
fn quirky_outline_plan_through_libreoffice() {
    compare_with_original("midlands-shared-outline");
}

#[test]
fn weak_plan_with_a_broken_formula_through_libreoffice() {
    compare_with_original("capital-commissioning-full");
}
