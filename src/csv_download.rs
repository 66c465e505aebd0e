//! CSV downloads for organizers.

use actix_web::{HttpResponse, http::header};

use crate::error::ApiError;

/// A CSV file as a download: UTF-8 with a byte order mark, so spreadsheet programs show
/// Korean correctly. `records` starts with the heading.
pub fn csv_download(filename: &str, records: Vec<Vec<String>>) -> Result<HttpResponse, ApiError> {
    let mut writer = csv::Writer::from_writer(Vec::from("\u{feff}".as_bytes()));
    for record in records {
        writer.write_record(&record).map_err(anyhow::Error::from)?;
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
