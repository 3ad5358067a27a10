//! The template schema (`plan::template`) is the one place the template is
//! written down: the writer lays sheets out from it, the reader accepts
//! every spelling it lists, and findings point into it by type.

use crate::util::{import, strong};
use csu_assess::examples::{self, Quirks};
use csu_assess::plan::template::{CoverField, TemplateSheet};
use csu_assess::plan::{CellAt, Finding};

#[test]
fn the_written_template_has_the_schemas_sheets_columns_and_cover_labels() {
    let layouts = examples::lay_out(&strong(), &Quirks::default());
    let names: Vec<&str> = layouts.iter().map(|l| l.name.as_str()).collect();
    assert_eq!(names, TemplateSheet::ALL.map(TemplateSheet::name).to_vec());
    for (layout, sheet) in layouts.iter().zip(TemplateSheet::ALL) {
        if !sheet.columns().is_empty() {
            let headers: Vec<&str> = sheet.columns().iter().map(|c| c.header).collect();
            assert_eq!(layout.headers, headers, "{}", sheet.name());
        }
    }
    let cover = &layouts[0];
    let labels: Vec<String> = cover.rows.iter().map(|r| format!("{:?}", r[0])).collect();
    for field in CoverField::ALL {
        assert!(labels.iter().any(|l| l.contains(field.label())), "cover lacks {}: {labels:?}", field.label());
    }
}

#[test]
fn every_alias_the_schema_lists_is_read_as_its_column() {
    let content = strong();
    let expected = import(&examples::write_plan(&content, &Quirks::default()).expect("written")).metrics;
    let mut tried = 0;
    for (index, sheet) in TemplateSheet::ALL.into_iter().enumerate() {
        for (col, column) in sheet.columns().iter().enumerate() {
            for alias in column.aliases {
                let mut layouts = examples::lay_out(&content, &Quirks::default());
                layouts[index].headers[col] = (*alias).to_string();
                let p = import(&examples::write_workbook(&layouts).expect("written"));
                assert_eq!(p.metrics, expected, "{}: `{alias}` for `{}`", sheet.name(), column.header);
                tried += 1;
            }
        }
    }
    assert!(tried > 60, "{tried} aliases tried");
}

#[test]
fn findings_carry_their_template_sheet_and_cell_as_types() {
    let mut content = strong();
    content.customers[4].budget_per_head = 250.0;
    let p = import(&examples::write_plan(&content, &Quirks { numbered_sheets: true, ..Quirks::default() }).expect("w"));
    let finding: &Finding =
        p.findings.iter().find(|f| f.message.contains("far above")).expect("the budget per head is a finding");
    assert_eq!(finding.sheet, "2. Customers", "the sheet as the workbook names it");
    assert_eq!(finding.template, Some(TemplateSheet::Customers), "and the template sheet it stands for");
    assert_eq!(finding.cell, Some(CellAt { row: 5, col: 2 }));
    assert_eq!(finding.location(), "2. Customers!C6");
}
