//! Refuses, before any handler runs, a request whose path or query string carries a control
//! character once percent-decoded (`%00`, `%0A`, ...). No id, slug, token or search term
//! contains one, and PostgreSQL cannot even compare a string holding NUL: it fails the
//! query, which would otherwise surface as a 500.

use actix_web::Error;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use percent_encoding::percent_decode_str;

use crate::error::ApiError;

pub async fn refuse_control_characters(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    if let Some(part) = part_with_control_character(req.path(), req.query_string()) {
        let error = ApiError::BadRequest(format!(
            "the {part} contains a control character (such as %00), which no address of this service holds"
        ));
        // A response rather than an error, so outer middleware adds its headers.
        return Ok(req.error_response(error).map_into_right_body());
    }
    Ok(next.call(req).await?.map_into_left_body())
}

/// Which part of the address holds a control character, if one does.
fn part_with_control_character(path: &str, query: &str) -> Option<&'static str> {
    if has_control_character(&percent_decode_str(path).decode_utf8_lossy()) {
        return Some("path");
    }
    let in_query = url::form_urlencoded::parse(query.as_bytes())
        .any(|(name, value)| has_control_character(&name) || has_control_character(&value));
    in_query.then_some("query string")
}

fn has_control_character(text: &str) -> bool {
    text.chars().any(char::is_control)
}

#[cfg(test)]
mod tests {
    use super::part_with_control_character;

    #[test]
    fn encoded_control_characters_are_found_in_the_path_and_the_query() {
        assert_eq!(
            part_with_control_character("/api/v1/events/%00", ""),
            Some("path")
        );
        assert_eq!(
            part_with_control_character("/plans/a%0Ab", ""),
            Some("path")
        );
        assert_eq!(
            part_with_control_character("/api/v1/people", "q=%00"),
            Some("query string")
        );
        assert_eq!(
            part_with_control_character("/api/v1/people", "q%7F=1"),
            Some("query string")
        );
    }

    #[test]
    fn ordinary_addresses_pass() {
        assert_eq!(
            part_with_control_character(
                "/events/%ED%99%88%EC%BB%A4%EB%B0%8D",
                "q=%EA%B9%80+x&lang=ko"
            ),
            None
        );
        assert_eq!(part_with_control_character("/api/v1/people", ""), None);
        // Invalid UTF-8 is not a control character; the route answers it as it would.
        assert_eq!(part_with_control_character("/events/%FF", "q=%FF"), None);
    }
}
