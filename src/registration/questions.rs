//! Custom questions organizers add to an event's registration form.

use actix_web::{HttpResponse, delete, get, patch, post, web};
use chrono::Utc;
use entity::question;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use crate::auth::Organizer;
use crate::db::begin_write;
use crate::domain::{Fields, Text, optional_text, parsed};
use crate::error::ApiError;
use crate::events::load_event_row;
use crate::extract::{ApiJson, patched};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_questions)
        .service(create_question)
        .service(update_question)
        .service(delete_question);
}

pub use entity::values::QuestionKind;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Question {
    pub id: Uuid,
    pub event_id: Uuid,
    #[schema(example = "뒤풀이에 참석하시나요?")]
    pub label: String,
    #[schema(example = "Will you join the after-party?")]
    pub label_en: Option<String>,
    pub kind: QuestionKind,
    pub options: Vec<String>,
    pub required: bool,
    pub position: i32,
}

impl Question {
    /// The label in `language`, falling back to Korean.
    pub fn label_in(&self, language: super::Language) -> &str {
        match (language, &self.label_en) {
            (super::Language::En, Some(english)) => english,
            _ => &self.label,
        }
    }

    fn as_input(&self) -> QuestionInput {
        QuestionInput {
            label: self.label.clone(),
            label_en: self.label_en.clone(),
            kind: self.kind,
            options: self.options.clone(),
            required: self.required,
            position: Some(self.position),
        }
    }
}

impl From<question::Model> for Question {
    fn from(row: question::Model) -> Self {
        Question {
            id: row.id,
            event_id: row.event_id,
            label: row.label,
            label_en: row.label_en,
            kind: row.kind,
            options: serde_json::from_str(&row.options).unwrap_or_default(),
            required: row.required,
            position: row.position,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QuestionInput {
    #[schema(example = "뒤풀이에 참석하시나요?")]
    pub label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label_en: Option<String>,
    pub kind: QuestionKind,
    /// The choices of a single or multiple choice question (at least two, distinct).
    #[serde(default)]
    #[schema(example = json!(["네", "아니요"]))]
    pub options: Vec<String>,
    #[serde(default)]
    pub required: bool,
    /// Order on the form (default: after the others).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<i32>,
}

struct NewQuestion {
    label: String,
    label_en: Option<String>,
    kind: QuestionKind,
    options: Vec<String>,
    required: bool,
    position: Option<i32>,
}

impl QuestionInput {
    fn parse(&self) -> Result<NewQuestion, ApiError> {
        let mut fields = Fields::default();
        let label = fields.check("label", Text::<300>::parse(&self.label));
        let label_en = fields.check("label_en", optional_text::<300>(self.label_en.as_deref()));
        let mut options: Vec<String> = Vec::new();
        for (index, option) in self.options.iter().enumerate() {
            match Text::<100>::parse(option) {
                Ok(option) if options.contains(&option.as_str().to_string()) => {
                    fields.push(format!("options[{index}]"), "is listed twice")
                }
                Ok(option) => options.push(option.into_inner()),
                Err(message) => fields.push(format!("options[{index}]"), message),
            }
        }
        match self.kind {
            QuestionKind::Text if !self.options.is_empty() => {
                fields.push("options", "a text question has no options")
            }
            QuestionKind::SingleChoice | QuestionKind::MultipleChoice if self.options.len() < 2 => {
                fields.push("options", "a choice question needs at least two options")
            }
            _ if self.options.len() > 30 => fields.push("options", "at most 30 options"),
            _ => {}
        }
        fields.finish()?;
        Ok(NewQuestion {
            label: parsed(label).into_inner(),
            label_en: parsed(label_en),
            kind: self.kind,
            options,
            required: self.required,
            position: self.position,
        })
    }
}

/// The questions of an event, in form order.
pub async fn event_questions(
    db: &impl ConnectionTrait,
    event_id: Uuid,
) -> Result<Vec<Question>, ApiError> {
    Ok(question::Entity::find()
        .filter(question::Column::EventId.eq(event_id))
        .order_by_asc(question::Column::Position)
        .order_by_asc(question::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(Question::from)
        .collect())
}

fn columns(active: &mut question::ActiveModel, new: NewQuestion, position: i32) {
    active.label = Set(new.label);
    active.label_en = Set(new.label_en);
    active.kind = Set(new.kind);
    active.options = Set(serde_json::to_string(&new.options).expect("strings serialize"));
    active.required = Set(new.required);
    active.position = Set(new.position.unwrap_or(position));
}

/// The custom questions of an event's registration form, in form order.
#[utoipa::path(
    tag = "questions",
    params(("event_id" = Uuid, Path, description = "Event id")),
    responses((status = 200, description = "The questions", body = Vec<Question>)),
)]
#[get("/events/{event_id}/questions")]
async fn list_questions(
    _organizer: Organizer,
    db: web::Data<DatabaseConnection>,
    event_id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    load_event_row(db.get_ref(), *event_id).await?;
    Ok(HttpResponse::Ok().json(event_questions(db.get_ref(), *event_id).await?))
}

/// Add a custom question to the registration form.
#[utoipa::path(
    tag = "questions",
    params(("event_id" = Uuid, Path, description = "Event id")),
    request_body = QuestionInput,
    responses((status = 201, description = "The question was added", body = Question)),
)]
#[post("/events/{event_id}/questions")]
async fn create_question(
    _organizer: Organizer,
    db: web::Data<DatabaseConnection>,
    event_id: web::Path<Uuid>,
    body: ApiJson<QuestionInput>,
) -> Result<HttpResponse, ApiError> {
    let new = body.0.parse()?;
    let txn = begin_write(&db).await?;
    load_event_row(&txn, *event_id).await?;
    let next_position = event_questions(&txn, *event_id).await?.len() as i32;
    let mut active = question::ActiveModel {
        id: Set(Uuid::now_v7()),
        event_id: Set(*event_id),
        created_at: Set(Utc::now()),
        ..Default::default()
    };
    columns(&mut active, new, next_position);
    let row = question::Entity::insert(active)
        .exec_with_returning(&txn)
        .await?;
    txn.commit().await?;
    Ok(HttpResponse::Created().json(Question::from(row)))
}

/// Change a question: a JSON merge patch (RFC 7396) over its fields. Answers already given
/// are kept as they were.
#[utoipa::path(
    tag = "questions",
    params(("event_id" = Uuid, Path, description = "Event id"), ("question_id" = Uuid, Path, description = "Question id")),
    request_body(content = serde_json::Value, description = "Fields of QuestionInput to change",
        example = json!({"required": true})),
    responses((status = 200, description = "The updated question", body = Question)),
)]
#[patch("/events/{event_id}/questions/{question_id}")]
async fn update_question(
    _organizer: Organizer,
    db: web::Data<DatabaseConnection>,
    path: web::Path<(Uuid, Uuid)>,
    body: ApiJson<serde_json::Value>,
) -> Result<HttpResponse, ApiError> {
    let (event_id, question_id) = path.into_inner();
    let txn = begin_write(&db).await?;
    let row = question::Entity::find_by_id(question_id)
        .filter(question::Column::EventId.eq(event_id))
        .one(&txn)
        .await?
        .ok_or(ApiError::NotFound("question"))?;
    let input: QuestionInput = patched(&Question::from(row.clone()).as_input(), &body.0)?;
    let position = row.position;
    let mut active: question::ActiveModel = row.into();
    columns(&mut active, input.parse()?, position);
    let row = question::Entity::update(active).exec(&txn).await?;
    txn.commit().await?;
    Ok(HttpResponse::Ok().json(Question::from(row)))
}

/// Remove a question from the form (answers already given stay in the registrations).
#[utoipa::path(
    tag = "questions",
    params(("event_id" = Uuid, Path, description = "Event id"), ("question_id" = Uuid, Path, description = "Question id")),
    responses((status = 204, description = "The question was removed")),
)]
#[delete("/events/{event_id}/questions/{question_id}")]
async fn delete_question(
    _organizer: Organizer,
    db: web::Data<DatabaseConnection>,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (event_id, question_id) = path.into_inner();
    let result = question::Entity::delete_many()
        .filter(question::Column::Id.eq(question_id))
        .filter(question::Column::EventId.eq(event_id))
        .exec(db.get_ref())
        .await?;
    if result.rows_affected == 0 {
        return Err(ApiError::NotFound("question"));
    }
    Ok(HttpResponse::NoContent().finish())
}
