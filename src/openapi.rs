//! The OpenAPI 3.1 document, collected from the route annotations by `utoipa-actix-web`, and
//! the route table that tells "no such path" (404) from "wrong method" (405).

use actix_web::dev::ResourceDef;
use actix_web::http::Method;
use utoipa::openapi::header::Header;
use utoipa::openapi::path::{HttpMethod, Operation, ParameterIn, Paths};
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityRequirement, SecurityScheme};
use utoipa::openapi::{Content, OpenApi as OpenApiDoc, RefOr, Response};
use utoipa::{Modify, OpenApi, PartialSchema, ToSchema};

use crate::error::{PROBLEM_JSON, Problem};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "homecoming",
        description = "Runs the 1&N alumni homecoming: venues, speakers, events and talks for \
            organizers; public event pages. Errors are RFC 9457 problem documents \
            (`application/problem+json`). Organizer routes need `Authorization: Bearer <token>` \
            with a token from `homecoming token create --name NAME`. PATCH bodies are JSON merge \
            patches (RFC 7396) and pass the same validation as a create.",
        license(name = "MIT OR Apache-2.0")
    ),
    tags(
        (name = "venues", description = "Venues and their rooms"),
        (name = "speakers", description = "Speakers (alumni giving talks)"),
        (name = "events", description = "Homecoming events and their status"),
        (name = "talks", description = "The talk schedule of an event"),
        (name = "registrations", description = "Registrations, check-in and figures of an event"),
        (name = "networking", description = "Networking sessions: rounds of tables where everyone meets new people"),
        (name = "people", description = "People across years, their history, and erasure"),
        (name = "questions", description = "Custom questions of an event's registration form"),
        (name = "public", description = "What anyone may read or do without a token: event pages and registering"),
        (name = "outbox", description = "Outgoing emails: delivery status, failures and retries"),
        (name = "reminders", description = "Automated reminders before an event: offsets and what was queued"),
        (name = "feedback", description = "The feedback survey after an event: response rate, ratings and comments, year over year"),
        (name = "audit", description = "The audit log: who changed what, when, through the console or which API token"),
        (name = "operations", description = "Health checks"),
    ),
    components(schemas(Problem))
)]
pub struct ApiDoc;

/// Adds what every operation shares, so no handler can forget it: the bearer requirement on
/// organizer routes, and the error statuses that follow from what an operation takes (see
/// [`shared_responses`]).
pub struct CommonResponses {
    /// The operations of the organizer scope (collected from the services it registers).
    organizer: Paths,
}

impl CommonResponses {
    pub fn new(organizer: Paths) -> Self {
        Self { organizer }
    }

    fn is_organizer_only(&self, path: &str, method: &HttpMethod) -> bool {
        self.organizer
            .get_path_operation(path, method.clone())
            .is_some()
    }
}

impl Modify for CommonResponses {
    fn modify(&self, openapi: &mut OpenApiDoc) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "organizer_token",
            SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
        );
        components
            .schemas
            .insert(Problem::name().into_owned(), Problem::schema());
        for (path, item) in openapi.paths.paths.iter_mut() {
            for (method, operation) in operations_mut(item) {
                let shape = Shape::of(path, operation, self.is_organizer_only(path, &method));
                for (status, description) in shared_responses(&shape) {
                    // An operation's own description of a status says more; it stays.
                    operation
                        .responses
                        .responses
                        .entry(status.into())
                        .or_insert_with(|| RefOr::T(problem_response(status, &description)));
                }
                if shape.organizer_only {
                    operation.security = Some(vec![SecurityRequirement::new(
                        "organizer_token",
                        Vec::<String>::new(),
                    )]);
                }
            }
        }
    }
}

/// What an operation takes, which decides the errors it can answer.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct Shape {
    /// Behind the organizer token (and its throttle of failed attempts).
    organizer_only: bool,
    /// Under `/api`, where a control character in the path or query string is refused.
    api: bool,
    path_params: bool,
    query_params: bool,
    header_params: bool,
    body: bool,
}

impl Shape {
    fn of(path: &str, operation: &Operation, organizer_only: bool) -> Self {
        let takes = |place: ParameterIn| {
            operation
                .parameters
                .iter()
                .flatten()
                .any(|parameter| matches!(parameter, RefOr::T(p) if p.parameter_in == place))
        };
        Shape {
            organizer_only,
            api: path.starts_with("/api/"),
            path_params: takes(ParameterIn::Path),
            query_params: takes(ParameterIn::Query),
            header_params: takes(ParameterIn::Header),
            body: operation.request_body.is_some(),
        }
    }
}

/// The error statuses an operation of this shape can answer, each with its description. They
/// mirror where the answers come from: the control-character check under `/api` and the path
/// extractor (400), the organizer middleware (401, 429), the router (404 for a path naming a
/// record), `ApiJson` and the body read timeout (400, 408, 413, 415, 422), the query extractor
/// and `PageQuery` (422), `ApiError::Internal` (500) and `ApiError::Busy` (503: the database
/// gave up waiting for a lock, which any operation that reads or writes it can meet).
fn shared_responses(shape: &Shape) -> Vec<(&'static str, String)> {
    let mut responses = Vec::new();
    let mut malformed = Vec::new();
    if shape.path_params {
        malformed.push("a path parameter (such as an id that is not a UUID)");
    }
    if shape.header_params {
        malformed.push("a header");
    }
    if shape.body {
        malformed.push("the JSON body");
    }
    if shape.api {
        malformed.push("a control character in the path or query string");
    }
    if !malformed.is_empty() {
        responses.push(("400", format!("Malformed request: {}", or_list(&malformed))));
    }
    if shape.organizer_only {
        responses.push(("401", "Missing or invalid organizer token".into()));
    }
    if shape.path_params {
        responses.push(("404", "No such record".into()));
    }
    if shape.body {
        responses.push((
            "408",
            "The body did not arrive within `server.body_read_timeout_secs`".into(),
        ));
        responses.push(("413", "Body too large".into()));
        responses.push(("415", "Body is not JSON".into()));
    }
    match (shape.body, shape.query_params) {
        (true, true) => responses.push((
            "422",
            "A field or query parameter is invalid; `errors` lists each one".into(),
        )),
        (true, false) => {
            responses.push(("422", "A field is invalid; `errors` lists each one".into()))
        }
        (false, true) => {
            responses.push(("422", "A query parameter is invalid or out of range".into()))
        }
        (false, false) => {}
    }
    if shape.organizer_only {
        responses.push((
            "429",
            "Too many failed token attempts from this address; try again after `Retry-After` seconds"
                .into(),
        ));
    }
    responses.push(("500", "Unexpected failure (details are only logged)".into()));
    if shape.api {
        responses.push((
            "503",
            "The database is busy; nothing was saved, try again after `Retry-After` seconds".into(),
        ));
    }
    responses
}

/// "a", "a or b", "a, b or c".
fn or_list(items: &[&str]) -> String {
    match items.split_last() {
        Some((last, [])) => last.to_string(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    }
}

/// A problem+json response; a 429 or 503 also says when to come back.
fn problem_response(status: &str, description: &str) -> Response {
    let mut response = Response::new(description);
    if status == "429" || status == "503" {
        let mut retry_after = Header::new(
            ObjectBuilder::new()
                .schema_type(Type::Integer)
                .minimum(Some(1)),
        );
        retry_after.description = Some("Seconds to wait before trying again".into());
        response
            .headers
            .insert("Retry-After".into(), RefOr::T(retry_after));
    }
    response.content.insert(
        PROBLEM_JSON.into(),
        RefOr::T(Content::new(Some(RefOr::Ref(
            utoipa::openapi::Ref::from_schema_name("Problem"),
        )))),
    );
    response
}

fn operations_mut(item: &mut utoipa::openapi::PathItem) -> Vec<(HttpMethod, &mut Operation)> {
    [
        (HttpMethod::Get, item.get.as_mut()),
        (HttpMethod::Post, item.post.as_mut()),
        (HttpMethod::Put, item.put.as_mut()),
        (HttpMethod::Patch, item.patch.as_mut()),
        (HttpMethod::Delete, item.delete.as_mut()),
    ]
    .into_iter()
    .filter_map(|(method, operation)| operation.map(|operation| (method, operation)))
    .collect()
}

/// The documented routes: tells a wrong method (405, with `Allow`) from an unknown path.
pub struct RouteTable {
    routes: Vec<Route>,
}

struct Route {
    pattern: ResourceDef,
    methods: Vec<Method>,
}

impl RouteTable {
    pub fn from_openapi(openapi: &OpenApiDoc) -> Self {
        let routes = openapi
            .paths
            .paths
            .iter()
            .map(|(path, item)| {
                let mut item = item.clone();
                let mut methods = Vec::new();
                for (method, _) in operations_mut(&mut item) {
                    let method = match method {
                        HttpMethod::Get => Method::GET,
                        HttpMethod::Post => Method::POST,
                        HttpMethod::Put => Method::PUT,
                        HttpMethod::Patch => Method::PATCH,
                        _ => Method::DELETE,
                    };
                    methods.push(method);
                }
                Route {
                    pattern: ResourceDef::new(path.as_str()),
                    methods,
                }
            })
            .collect();
        Self { routes }
    }

    fn route(&self, path: &str) -> Option<&Route> {
        self.routes
            .iter()
            .find(|route| route.pattern.is_match(path))
    }

    /// The methods allowed on `path`, if any documented route matches it.
    pub fn allowed_methods(&self, path: &str) -> Option<&[Method]> {
        self.route(path).map(|route| route.methods.as_slice())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn statuses(shape: Shape) -> Vec<&'static str> {
        shared_responses(&shape)
            .into_iter()
            .map(|(status, _)| status)
            .collect()
    }

    #[test]
    fn an_organizer_update_can_fail_in_every_way_it_takes_input() {
        let shape = Shape {
            organizer_only: true,
            api: true,
            path_params: true,
            body: true,
            ..Shape::default()
        };
        assert_eq!(
            statuses(shape),
            [
                "400", "401", "404", "408", "413", "415", "422", "429", "500", "503"
            ]
        );
        let (_, malformed) = &shared_responses(&shape)[0];
        assert_eq!(
            malformed,
            "Malformed request: a path parameter (such as an id that is not a UUID), the JSON \
             body or a control character in the path or query string"
        );
    }

    #[test]
    fn a_list_answers_422_for_its_query_and_no_404() {
        let shape = Shape {
            organizer_only: true,
            api: true,
            query_params: true,
            ..Shape::default()
        };
        assert_eq!(statuses(shape), ["400", "401", "422", "429", "500", "503"]);
    }

    #[test]
    fn outside_the_api_only_a_failure_is_shared() {
        assert_eq!(statuses(Shape::default()), ["500"]);
    }

    #[test]
    fn a_header_parameter_can_be_malformed() {
        let shape = Shape {
            api: true,
            header_params: true,
            ..Shape::default()
        };
        let responses = shared_responses(&shape);
        assert_eq!(responses[0].0, "400");
        assert!(responses[0].1.contains("a header"), "{}", responses[0].1);
    }
}
