//! Builds the HTTP application on a listener, so `main` and the tests run the same server.

use std::net::TcpListener;

use actix_web::body::{BoxBody, EitherBody};
use actix_web::dev::{Server, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::{ErrorHandlerResponse, ErrorHandlers, from_fn};
use actix_web::{App, HttpMessage, HttpRequest, HttpResponse, HttpServer, web};
use sea_orm::DatabaseConnection;
use tracing_actix_web::{RequestId, TracingLogger};
use utoipa::{Modify, OpenApi};
use utoipa_actix_web::AppExt;
use utoipa_actix_web::service_config::ServiceConfig;
use utoipa_swagger_ui::SwaggerUi;

use crate::auth::require_organizer;
use crate::clock::Clock;
use crate::configuration::Settings;
use crate::email::scheduler::Scheduler;
use crate::email::worker::Worker;
use crate::error::{ApiError, PROBLEM_JSON, http_problem};
use crate::extract::BodyRules;
use crate::metrics::Metrics;
use crate::openapi::{ApiDoc, CommonResponses, RouteTable};
use crate::registration::admission::LinkMail;
use crate::registration::links::ManageLinks;
use crate::registration::routes::PublicBaseUrl;
use crate::{
    db, events, health, networking, people, public, registration, speakers, talks, venues,
};

pub struct Application {
    port: u16,
    server: Server,
    /// The outbox's delivery worker and the scheduler of reminders and surveys.
    background: Vec<crate::email::worker::WorkerHandle>,
}

impl Application {
    /// Connects to the configured database, applies pending migrations and binds the port.
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        let db = db::connect(&settings.database).await?;
        db::migrate(&db).await?;
        Self::build_for_cluster(&settings, db).await
    }

    /// Builds the app with the secrets every instance on this database shares (the key that
    /// signs form tokens), so instances behind one load balancer accept each other's forms.
    pub async fn build_for_cluster(
        settings: &Settings,
        db: DatabaseConnection,
    ) -> anyhow::Result<Self> {
        Self::build_with_clock(settings, db, Clock::system()).await
    }

    /// As [`Application::build_for_cluster`], with the scheduler reading `clock` (tests move a
    /// manual clock instead of waiting).
    pub async fn build_with_clock(
        settings: &Settings,
        db: DatabaseConnection,
        clock: Clock,
    ) -> anyhow::Result<Self> {
        let form_key = crate::secrets::shared_secret(&db, "form_token_key").await?;
        let links = ManageLinks::load(&db, &settings.server.public_base_url).await?;
        Self::assemble(settings, db, Some(form_key), links, clock)
    }

    /// Builds the app with a form-signing key and a manage-link key of its own (enough for a
    /// single instance; its manage links stop working when it restarts).
    pub fn build_with_db(settings: &Settings, db: DatabaseConnection) -> anyhow::Result<Self> {
        let mut key = [0u8; 32];
        rand::RngCore::fill_bytes(&mut rand::rng(), &mut key);
        let links = ManageLinks::new(key, &settings.server.public_base_url);
        Self::assemble(settings, db, None, links, Clock::system())
    }

    fn assemble(
        settings: &Settings,
        db: DatabaseConnection,
        form_key: Option<[u8; 32]>,
        links: ManageLinks,
        clock: Clock,
    ) -> anyhow::Result<Self> {
        let address = (settings.server.host.as_str(), settings.server.port);
        let listener = TcpListener::bind(address).map_err(|error| {
            anyhow::anyhow!("cannot listen on {}:{}: {error}", address.0, address.1)
        })?;
        let port = listener.local_addr()?.port();
        // The outbox's delivery worker and the scheduler run beside the server, in the same
        // process; any number of instances may run them.
        let mut background = Vec::new();
        let mut metrics = Metrics::new(&settings.metrics);
        if settings.email.worker_enabled {
            let email = &settings.email;
            let base_url = &settings.server.public_base_url;
            background.push(Worker::new(db.clone(), email, base_url)?.spawn());
            let interval = std::time::Duration::from_millis(email.scheduler_interval_ms);
            let heartbeat = metrics.watch_scheduler(interval);
            background.push(
                Scheduler::new(
                    db.clone(),
                    clock.clone(),
                    links.clone(),
                    email.feedback_after_hours,
                    interval,
                )
                .spawn(heartbeat),
            );
        }
        let server = run(listener, db, settings, form_key, links, clock, metrics)?;
        Ok(Self {
            port,
            server,
            background,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Serves until SIGTERM or ctrl-c, then lets in-flight requests finish.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let result = self.server.await;
        for task in self.background {
            task.stop(std::time::Duration::from_secs(10)).await;
        }
        result
    }
}

/// Where the JSON API lives.
const API: &str = "/api/v1";

/// Every documented route. The OpenAPI document is collected from exactly these services.
fn routes(cfg: &mut ServiceConfig) {
    cfg.service(utoipa_actix_web::scope(API).configure(api))
        .configure(health::configure)
        .configure(crate::metrics::routes::configure);
}

/// The API: what anyone may use, then the organizer scope, whose middleware lets no request
/// through without an organizer token. The public services come first because the router
/// takes the first service that matches a request: a scope owns every path under its prefix,
/// and a route's resource matches only its method, so a GET of the registrations of an event
/// passes the public registering POST by and reaches the organizer scope.
fn api(cfg: &mut ServiceConfig) {
    cfg.service(utoipa_actix_web::scope("/public").configure(public::configure))
        .configure(registration::routes::configure_public)
        .service(
            utoipa_actix_web::scope("")
                // Inside the token check: only an organizer's successful writes count.
                .wrap(from_fn(crate::page_cache::invalidate_after_writes))
                .wrap(from_fn(require_organizer))
                .configure(organizer_api),
        );
}

/// The operations only organizers may use. The OpenAPI document declares the bearer token
/// for exactly these.
fn organizer_api(cfg: &mut ServiceConfig) {
    cfg.configure(venues::configure)
        .configure(speakers::configure)
        .configure(events::configure)
        .configure(talks::configure)
        .configure(registration::configure)
        .configure(people::configure)
        .configure(networking::configure)
        .configure(crate::email::configure)
        .configure(crate::feedback::routes::configure)
        .configure(crate::audit::routes::configure);
}

/// The complete OpenAPI document of the service.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let mut doc = document(ApiDoc::openapi(), routes);
    let organizer = document(Default::default(), |cfg| {
        cfg.service(utoipa_actix_web::scope(API).configure(organizer_api));
    });
    CommonResponses::new(organizer.paths).modify(&mut doc);
    doc
}

/// The OpenAPI document collected from the services `configure` registers.
fn document(
    base: utoipa::openapi::OpenApi,
    configure: impl FnOnce(&mut ServiceConfig),
) -> utoipa::openapi::OpenApi {
    let (_, doc) = App::new()
        .into_utoipa_app()
        .openapi(base)
        .configure(configure)
        .split_for_parts();
    doc
}

fn run(
    listener: TcpListener,
    db: DatabaseConnection,
    settings: &Settings,
    form_key: Option<[u8; 32]>,
    links: ManageLinks,
    clock: Clock,
    metrics: Metrics,
) -> anyhow::Result<Server> {
    let clock = web::Data::new(clock);
    let metrics = web::Data::new(metrics);
    let doc = openapi();
    let route_table = web::Data::new(RouteTable::from_openapi(&doc));
    let base_url = web::Data::new(PublicBaseUrl(settings.server.public_base_url.clone()));
    let registrar = web::Data::new(crate::registration::admission::Registrar::start(
        db.clone(),
        std::time::Duration::from_millis(settings.limits.registration_wait_ms),
        LinkMail {
            links: links.clone(),
            interval: i64::try_from(settings.limits.manage_link_mail_interval_secs)
                .ok()
                .and_then(chrono::TimeDelta::try_seconds)
                .unwrap_or(chrono::TimeDelta::MAX),
        },
    ));
    let links = web::Data::new(links);
    let sign_in_links = web::Data::new(crate::organizers::sign_in::SignInLinks::new(
        &settings.server.public_base_url,
    ));
    let db = web::Data::new(db);
    // Made once: every worker shares the CSRF key and the rate limit of the HTML pages.
    let pages = web::Data::new(crate::web::WebState::new(
        &settings.server.public_base_url,
        form_key,
    ));
    let throttles = web::Data::new(crate::throttle::Throttles::new(&settings.limits));
    let page_cache = web::Data::new(crate::page_cache::PageCache::default());
    let solver_limits = web::Data::new(networking::SolverLimits {
        max_time_limit: std::time::Duration::from_millis(settings.matching.max_time_limit_ms),
    });
    let body_rules = BodyRules {
        max_bytes: settings.server.max_body_bytes,
        read_timeout: std::time::Duration::from_secs(settings.server.body_read_timeout_secs),
    };
    let server = HttpServer::new(move || {
        let route_table = route_table.clone();
        App::new()
            .wrap(from_fn(crate::catch_panic::catch_panic))
            .wrap(from_fn(crate::input_guard::refuse_control_characters))
            .wrap(ErrorHandlers::new().default_handler(problem_body))
            .wrap(from_fn(crate::security_headers::security_headers))
            // Outside those above: it counts each answer as it leaves, a panic's 500 too.
            .wrap(from_fn(crate::metrics::track))
            .wrap_fn(|req, srv| {
                use actix_web::dev::Service;
                let request_id = req.extensions().get::<RequestId>().copied();
                let response = srv.call(req);
                async move {
                    let mut response = response.await?;
                    if let Some(id) = request_id
                        && let Ok(value) = HeaderValue::from_str(&id.to_string())
                    {
                        response
                            .headers_mut()
                            .insert(header::HeaderName::from_static("x-request-id"), value);
                    }
                    Ok(response)
                }
            })
            .wrap(TracingLogger::<crate::telemetry::RedactedRootSpan>::new())
            .app_data(db.clone())
            .app_data(registrar.clone())
            .app_data(links.clone())
            .app_data(sign_in_links.clone())
            .app_data(route_table.clone())
            .app_data(base_url.clone())
            .app_data(clock.clone())
            .app_data(metrics.clone())
            .app_data(pages.clone())
            .app_data(body_rules)
            .app_data(solver_limits.clone())
            .app_data(throttles.clone())
            .app_data(page_cache.clone())
            .app_data(web::PathConfig::default().error_handler(|error, _| {
                ApiError::BadRequest(format!("invalid path parameter: {error}")).into()
            }))
            .app_data(web::QueryConfig::default().error_handler(|error, _| {
                ApiError::Validation(vec![crate::error::FieldError::new(
                    "query",
                    error.to_string(),
                )])
                .into()
            }))
            .into_utoipa_app()
            .configure(routes)
            .into_app()
            // The HTML pages: outside `/api` and not part of the OpenAPI document.
            .configure(crate::web::configure)
            .configure(crate::web::plan::configure_pages)
            .configure(crate::console::configure)
            .service(SwaggerUi::new("/api/docs/{_:.*}").url("/api/openapi.json", doc.clone()))
            .service(web::redirect("/api/docs", "/api/docs/"))
            .default_service(web::to(move |req: HttpRequest| {
                let route_table = route_table.clone();
                async move { unrouted(&req, &route_table) }
            }))
    })
    .listen(listener)?
    // actix-server stops gracefully on SIGTERM and ctrl-c: it refuses new connections and
    // gives in-flight requests this long to finish.
    .shutdown_timeout(settings.server.shutdown_timeout_secs)
    .run();
    Ok(server)
}

/// 405 with `Allow` when the path exists with other methods, 404 otherwise.
fn unrouted(req: &HttpRequest, route_table: &RouteTable) -> HttpResponse {
    match route_table.allowed_methods(req.path()) {
        Some(methods) => {
            let allow = methods
                .iter()
                .map(|m| m.as_str())
                .collect::<Vec<_>>()
                .join(", ");
            HttpResponse::MethodNotAllowed()
                .insert_header((header::ALLOW, allow.clone()))
                .content_type(PROBLEM_JSON)
                .json(http_problem(
                    actix_web::http::StatusCode::METHOD_NOT_ALLOWED,
                    Some(format!("{} is not allowed here; use {allow}", req.method())),
                ))
        }
        None => HttpResponse::NotFound()
            .content_type(PROBLEM_JSON)
            .json(http_problem(
                actix_web::http::StatusCode::NOT_FOUND,
                Some(format!("no route for {}", req.path())),
            )),
    }
}

/// Gives every error response that is not yet a problem document one (actix's own errors,
/// such as an invalid header, come as plain text). HTML pages keep their own error pages.
fn problem_body<B>(res: ServiceResponse<B>) -> actix_web::Result<ErrorHandlerResponse<B>> {
    let is_problem = res
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|value| {
            value.as_bytes().starts_with(PROBLEM_JSON.as_bytes())
                || value.as_bytes().starts_with(b"text/html")
        });
    if is_problem {
        return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
    }
    let status = res.status();
    let detail = match res.response().error() {
        Some(error) if status.is_client_error() => Some(error.to_string()),
        _ => None,
    };
    let (req, old) = res.into_parts();
    let mut new = HttpResponse::build(status);
    for (name, value) in old.headers() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            new.append_header((name.clone(), value.clone()));
        }
    }
    let new = new
        .content_type(PROBLEM_JSON)
        .json(http_problem(status, detail));
    let res: ServiceResponse<EitherBody<B, BoxBody>> =
        ServiceResponse::new(req, new).map_into_right_body();
    Ok(ErrorHandlerResponse::Response(res))
}
