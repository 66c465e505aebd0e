//! Turns a panic in a handler or an inner middleware into a logged 500 problem document for
//! that one request. Without it actix drops the connection and the client learns nothing;
//! with it a future bug costs one answer, not a connection. It does not replace handling
//! errors: every known failure is an `ApiError` long before this.

use std::panic::AssertUnwindSafe;

use actix_web::Error;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use futures_util::FutureExt;

use crate::error::ApiError;

/// Answered as an error (the request moved into the handler that panicked), which actix
/// renders with `ApiError`'s problem document.
pub async fn catch_panic(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    match AssertUnwindSafe(next.call(req)).catch_unwind().await {
        Ok(response) => response,
        Err(panic) => {
            let message = panic
                .downcast_ref::<&str>()
                .map(|text| text.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "a panic without a message".into());
            Err(ApiError::Internal(anyhow::anyhow!("handler panicked: {message}")).into())
        }
    }
}

#[cfg(test)]
mod tests {
    use actix_web::http::{StatusCode, header};
    use actix_web::middleware::from_fn;
    use actix_web::{App, HttpResponse, test, web};

    use super::catch_panic;

    #[actix_web::test]
    async fn a_panicking_handler_answers_a_problem_and_the_next_request_is_served() {
        let app = test::init_service(
            App::new()
                .wrap(from_fn(catch_panic))
                .route(
                    "/boom",
                    web::get().to(|| async {
                        let offsets = "7日";
                        // Slicing inside a character: the class of bug this layer contains.
                        let (_, unit) = offsets.split_at(offsets.len() - 1);
                        HttpResponse::Ok().body(unit.to_string())
                    }),
                )
                .route("/fine", web::get().to(HttpResponse::Ok)),
        )
        .await;
        let error =
            test::try_call_service(&app, test::TestRequest::get().uri("/boom").to_request())
                .await
                .err()
                .expect("the panic becomes an error, not a dropped connection");
        let response = error.error_response();
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(
            response.headers().get(header::CONTENT_TYPE).unwrap(),
            "application/problem+json"
        );
        let body = actix_web::body::to_bytes(response.into_body())
            .await
            .unwrap();
        let body: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(body["status"], 500);
        assert!(
            !body.to_string().contains("split_at") && !body.to_string().contains("7日"),
            "the panic's message stays in the log: {body}"
        );
        let response =
            test::call_service(&app, test::TestRequest::get().uri("/fine").to_request()).await;
        assert_eq!(response.status(), StatusCode::OK);
    }
}
