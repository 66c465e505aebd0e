//! The OpenAPI 3.1 document, collected from the route annotations by `utoipa-actix-web`, and
//! the route table that tells "no such path" (404) from "wrong method" (405).

use actix_web::dev::ResourceDef;
use actix_web::http::Method;
use utoipa::openapi::path::{HttpMethod, Operation, Paths};
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
        (name = "operations", description = "Health checks"),
    ),
    components(schemas(Problem))
)]
pub struct ApiDoc;

/// Adds what every operation shares, so no handler can forget it: the bearer requirement and
/// 401 on organizer routes, 404 where the path names a record, the body errors (400, 413,
/// 415, 422) where a body is read, and 500.
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
                let organizer_only = self.is_organizer_only(path, &method);
                let has_body = operation.request_body.is_some();
                let mut add = |status: &str, description: &str| {
                    operation
                        .responses
                        .responses
                        .entry(status.into())
                        .or_insert_with(|| RefOr::T(problem_response(description)));
                };
                if organizer_only {
                    add("401", "Missing or invalid organizer token");
                }
                if path.contains('{') {
                    add("404", "No such record");
                }
                if has_body {
                    add("400", "Malformed JSON");
                    add("413", "Body too large");
                    add("415", "Body is not JSON");
                    add("422", "A field is invalid; `errors` lists each one");
                }
                if method == HttpMethod::Get && path.starts_with("/api/v1/") && !path.contains('{')
                {
                    add("422", "A query parameter is invalid");
                }
                add("500", "Unexpected failure (details are only logged)");
                if organizer_only {
                    operation.security = Some(vec![SecurityRequirement::new(
                        "organizer_token",
                        Vec::<String>::new(),
                    )]);
                }
            }
        }
    }
}

fn problem_response(description: &str) -> Response {
    let mut response = Response::new(description);
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
