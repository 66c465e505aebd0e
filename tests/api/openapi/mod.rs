//! Tests driven by the OpenAPI document the service serves: every operation is called with
//! malformed and boundary input made from its parameters and schemas, and every answer must
//! be a status the document lists for that operation, as problem+json when it is an error,
//! never a 5xx or a dropped connection.

mod bad_input;
mod document;
mod generate;
mod paths_and_queries;
mod world;
