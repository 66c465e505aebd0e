//! CSV downloads for organizers.

use std::borrow::Cow;

use actix_web::{HttpResponse, http::header};

use crate::error::ApiError;

/// A CSV file as a download: UTF-8 with a byte order mark, so spreadsheet programs show
/// Korean correctly. `records` starts with the heading. Every cell goes through
/// [`spreadsheet_safe`]: names and affiliations are typed by anyone who registers.
pub fn csv_download(filename: &str, records: Vec<Vec<String>>) -> Result<HttpResponse, ApiError> {
    let mut writer = csv::Writer::from_writer(Vec::from("\u{feff}".as_bytes()));
    for record in records {
        let record = record
            .iter()
            .map(|cell| spreadsheet_safe(cell).into_owned());
        writer.write_record(record).map_err(anyhow::Error::from)?;
    }
    let body = writer
        .into_inner()
        .map_err(|error| anyhow::anyhow!("{error}"))?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{filename}\""),
        ))
        .body(body))
}

/// A cell a spreadsheet shows as text: one that starts like a formula (`=`, `+`, `-`, `@`, a
/// tab or a carriage return) gets a leading `'`, as OWASP's "CSV Injection" advises.
pub fn spreadsheet_safe(cell: &str) -> Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

#[cfg(test)]
mod tests {
    use super::spreadsheet_safe;

    #[test]
    fn formulas_become_text_and_the_rest_stays() {
        for formula in ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(spreadsheet_safe(formula), format!("'{formula}"));
        }
        for plain in [
            "김서연",
            "Toss",
            "2014",
            "",
            "a=b",
            "2026-05-16T13:00:00+09:00",
        ] {
            assert_eq!(spreadsheet_safe(plain), plain);
        }
    }
}
