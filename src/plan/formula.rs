//! Working out a formula a workbook holds with no saved result.
//!
//! Workbooks written by scripts rather than saved by a spreadsheet program
//! carry formulas without their results. The figure is the CSU's own
//! formula, so where it is plain arithmetic on the same sheet (numbers,
//! cells, `+ - * /`, brackets, `SUM` of cells and ranges) it is worked out
//! here, rather than guessed from the template's arithmetic; anything else
//! (another sheet, another function) is left unknown, with a finding.

use super::workbook::{CellValue, Sheet};

/// How deep one formula may lean on others: past this, a chain (or a loop)
/// is left unknown.
const DEPTH: usize = 16;

/// The value of `formula` (without its `=`) on `sheet`, if it is plain
/// arithmetic this reader follows. Every cell read, its formulas' cells
/// included, is taken from `budget`, which one workbook's reading shares
/// ([`BUDGET`]): sums over sums are bounded, never followed for ever.
pub fn evaluate(formula: &str, sheet: &Sheet, budget: &std::cell::Cell<u32>) -> Option<f64> {
    evaluate_at(formula, sheet, 0, budget)
}

/// How many cells the formulas of one workbook may read between them.
pub const BUDGET: u32 = 2_000_000;

fn evaluate_at(formula: &str, sheet: &Sheet, depth: usize, budget: &std::cell::Cell<u32>) -> Option<f64> {
    if depth > DEPTH || formula.len() > 2000 {
        return None;
    }
    let mut p = Parser { text: formula.as_bytes(), at: 0, sheet, depth, nest: 0, budget };
    let value = p.expr()?;
    p.space();
    (p.at == p.text.len() && value.is_finite()).then_some(value)
}

struct Parser<'a> {
    text: &'a [u8],
    at: usize,
    sheet: &'a Sheet,
    depth: usize,
    /// Brackets open now: a formula nested deeper is not followed.
    nest: usize,
    budget: &'a std::cell::Cell<u32>,
}

impl Parser<'_> {
    fn space(&mut self) {
        while self.text.get(self.at).is_some_and(u8::is_ascii_whitespace) {
            self.at += 1;
        }
    }

    fn eat(&mut self, c: u8) -> bool {
        self.space();
        if self.text.get(self.at) == Some(&c) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn expr(&mut self) -> Option<f64> {
        let mut value = self.term()?;
        loop {
            if self.eat(b'+') {
                value += self.term()?;
            } else if self.eat(b'-') {
                value -= self.term()?;
            } else {
                return Some(value);
            }
        }
    }

    fn term(&mut self) -> Option<f64> {
        let mut value = self.factor()?;
        loop {
            if self.eat(b'*') {
                value *= self.factor()?;
            } else if self.eat(b'/') {
                let by = self.factor()?;
                if by == 0.0 {
                    return None;
                }
                value /= by;
            } else {
                return Some(value);
            }
        }
    }

    fn factor(&mut self) -> Option<f64> {
        if self.eat(b'-') {
            return Some(-self.factor()?);
        }
        if self.eat(b'+') {
            return self.factor();
        }
        if self.eat(b'(') {
            self.nest += 1;
            if self.nest > 64 {
                return None;
            }
            let value = self.expr()?;
            self.nest -= 1;
            return self.eat(b')').then_some(value);
        }
        self.space();
        let start = self.at;
        if self.text.get(self.at).is_some_and(|c| c.is_ascii_digit() || *c == b'.') {
            while self.text.get(self.at).is_some_and(|c| c.is_ascii_digit() || *c == b'.') {
                self.at += 1;
            }
            return std::str::from_utf8(&self.text[start..self.at]).ok()?.parse().ok();
        }
        while self.text.get(self.at).is_some_and(u8::is_ascii_alphabetic) {
            self.at += 1;
        }
        let word = std::str::from_utf8(&self.text[start..self.at]).ok()?.to_ascii_uppercase();
        if word == "SUM" && self.eat(b'(') {
            let mut total = 0.0;
            loop {
                total += self.sum_argument()?;
                if self.eat(b')') {
                    return Some(total);
                }
                if !self.eat(b',') {
                    return None;
                }
            }
        }
        self.at = start;
        let (row, col) = self.cell()?;
        self.value(row, col)
    }

    /// A `SUM` argument: a range of cells, or any expression.
    fn sum_argument(&mut self) -> Option<f64> {
        let start = self.at;
        if let Some(first) = self.cell()
            && self.eat(b':')
        {
            let last = self.cell()?;
            let (rows, cols) = (first.0.min(last.0)..=first.0.max(last.0), first.1.min(last.1)..=first.1.max(last.1));
            if rows.clone().count() * cols.clone().count() > 100_000 {
                return None;
            }
            let mut total = 0.0;
            for row in rows {
                for col in cols.clone() {
                    total += self.value(row, col)?;
                }
            }
            return Some(total);
        }
        self.at = start;
        self.expr()
    }

    /// A cell reference such as `B5` or `$C$12`, as (row, column) from 0.
    fn cell(&mut self) -> Option<(u32, u32)> {
        self.space();
        self.eat(b'$');
        let mut col: u32 = 0;
        let start = self.at;
        while let Some(c) = self.text.get(self.at).filter(|c| c.is_ascii_alphabetic()) {
            col = col.checked_mul(26)?.checked_add(u32::from(c.to_ascii_uppercase() - b'A') + 1)?;
            self.at += 1;
        }
        if self.at == start || self.at - start > 3 {
            return None;
        }
        self.eat(b'$');
        let digits = self.at;
        while self.text.get(self.at).is_some_and(u8::is_ascii_digit) {
            self.at += 1;
        }
        let row: u32 = std::str::from_utf8(&self.text[digits..self.at]).ok()?.parse().ok()?;
        // Another sheet's cell (`Finance!C5`) is not followed.
        if self.text.get(self.at) == Some(&b'!') {
            return None;
        }
        Some((row.checked_sub(1)?, col - 1))
    }

    /// What a cell counts as: its number, nothing for an empty cell, its
    /// own formula worked out; text or an error makes the formula unknown.
    fn value(&self, row: u32, col: u32) -> Option<f64> {
        self.budget.set(self.budget.get().checked_sub(1)?);
        match self.sheet.get(row, col) {
            None => Some(0.0),
            Some(CellValue::Number(n)) => Some(*n),
            Some(CellValue::UncachedFormula(f)) => evaluate_at(f, self.sheet, self.depth + 1, self.budget),
            Some(_) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sheet(cells: &[(u32, u32, CellValue)]) -> Sheet {
        let mut s = Sheet::default();
        for (r, c, v) in cells {
            s.insert(*r, *c, v.clone()).expect("cell");
        }
        s
    }

    #[test]
    fn plain_arithmetic_on_the_sheet_is_worked_out() {
        let s = sheet(&[
            (1, 1, CellValue::Number(10.0)),
            (2, 1, CellValue::Number(20.0)),
            (3, 1, CellValue::UncachedFormula("SUM(B2:B3)".into())),
        ]);
        assert_eq!(evaluate("B4 * 2 - (B2 + $B$3) / 10", &s, &std::cell::Cell::new(BUDGET)), Some(57.0));
        assert_eq!(evaluate("sum(B2, B3, 5)", &s, &std::cell::Cell::new(BUDGET)), Some(35.0));
        assert_eq!(evaluate("-B2 + +B3", &s, &std::cell::Cell::new(BUDGET)), Some(10.0));
        assert_eq!(
            evaluate("B9", &s, &std::cell::Cell::new(BUDGET)),
            Some(0.0),
            "an empty cell counts as nothing, as in a spreadsheet"
        );
    }

    #[test]
    fn what_cannot_be_followed_is_unknown_never_a_guess_or_a_hang() {
        let s = sheet(&[(0, 0, CellValue::UncachedFormula("A1+1".into())), (0, 1, CellValue::Text("twelve".into()))]);
        assert_eq!(evaluate("A1", &s, &std::cell::Cell::new(BUDGET)), None, "a formula leaning on itself");
        assert_eq!(evaluate("B1*2", &s, &std::cell::Cell::new(BUDGET)), None, "text is no number");
        assert_eq!(evaluate("Finance!C5", &s, &std::cell::Cell::new(BUDGET)), None, "another sheet");
        assert_eq!(evaluate("VLOOKUP(A1,B1:C9,2)", &s, &std::cell::Cell::new(BUDGET)), None, "another function");
        assert_eq!(evaluate("1/0", &s, &std::cell::Cell::new(BUDGET)), None);
        assert_eq!(
            evaluate("SUM(A1:XFD1048576)", &s, &std::cell::Cell::new(BUDGET)),
            None,
            "a range past any plan's size"
        );
        assert_eq!(
            evaluate(&format!("{}1{}", "(".repeat(500), ")".repeat(500)), &s, &std::cell::Cell::new(BUDGET)),
            None,
            "nested past reason"
        );
        assert_eq!(
            evaluate(&"1+".repeat(5000), &s, &std::cell::Cell::new(BUDGET)),
            None,
            "longer than any plan's formula"
        );
        assert_eq!(evaluate("2 3", &s, &std::cell::Cell::new(BUDGET)), None);
        // Sums over sums, each over a thousand cells: a million reads for
        // one formula, and the workbook's budget bounds them all.
        let mut cells = Vec::new();
        for row in 0..1000 {
            cells.push((row, 0, CellValue::UncachedFormula("SUM(B1:B1000)".into())));
            cells.push((row, 1, CellValue::UncachedFormula("SUM(C1:C1000)".into())));
            cells.push((row, 2, CellValue::Number(1.0)));
        }
        let s = sheet(&cells);
        let budget = std::cell::Cell::new(BUDGET);
        assert_eq!(evaluate("A1", &s, &budget), Some(1_000_000.0));
        assert_eq!(evaluate("A2", &s, &budget), None, "the workbook's budget is spent");
        assert_eq!(evaluate("1+1", &s, &budget), Some(2.0), "a formula reading no cell still works out");
    }
}
