//! Statistics exports: the ledgers of `domain::stats::ledger` as CSV (UTF-8 with a byte-order
//! mark, which spreadsheet programs need to read Chinese) and as an Excel workbook with one
//! sheet per ledger.

use domain::stats::{ledger, Cell, Dashboard, Ledger, Table};
use rust_xlsxwriter::{Format, Workbook, XlsxError};

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("csv: {0}")]
    Csv(#[from] csv::Error),
    #[error("xlsx: {0}")]
    Xlsx(#[from] XlsxError),
}

/// One ledger as CSV: the title line, the heads, the rows.
pub fn csv(d: &Dashboard, which: Ledger) -> Result<Vec<u8>, ExportError> {
    let table = ledger(d, which);
    let mut out = Vec::from("\u{feff}".as_bytes());
    {
        let mut w = csv::WriterBuilder::new()
            .flexible(true)
            .from_writer(&mut out);
        w.write_record([table.title.as_str()])?;
        w.write_record(&table.heads)?;
        for row in &table.rows {
            w.write_record(row.iter().map(Cell::text))?;
        }
        w.flush().map_err(csv::Error::from)?;
    }
    Ok(out)
}

/// Both ledgers as an Excel workbook.
pub fn xlsx(d: &Dashboard) -> Result<Vec<u8>, ExportError> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let title = Format::new().set_bold().set_font_size(14);
    for which in Ledger::ALL {
        let table: Table = ledger(d, which);
        let sheet = book.add_worksheet();
        sheet.set_name(which.title_zh())?;
        sheet.write_string_with_format(0, 0, &table.title, &title)?;
        for (c, head) in table.heads.iter().enumerate() {
            sheet.write_string_with_format(1, c as u16, *head, &bold)?;
            sheet.set_column_width(c as u16, if c == 0 { 28 } else { 12 })?;
        }
        for (r, row) in table.rows.iter().enumerate() {
            let r = r as u32 + 2;
            for (c, cell) in row.iter().enumerate() {
                let c = c as u16;
                match cell {
                    Cell::Text(t) => {
                        sheet.write_string(r, c, t)?;
                    }
                    Cell::Int(n) => {
                        sheet.write_number(r, c, *n as f64)?;
                    }
                    Cell::Decimal(x, places) => {
                        let format = Format::new()
                            .set_num_format(format!("0.{}", "0".repeat(usize::from(*places))));
                        sheet.write_number_with_format(r, c, *x, &format)?;
                    }
                    Cell::Empty => {}
                }
            }
        }
        sheet.set_freeze_panes(2, 1)?;
    }
    Ok(book.save_to_buffer()?)
}
