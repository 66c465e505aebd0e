//! Speakers: the alumni who give talks. Their email is for organizers only.

mod routes;
mod store;

pub use routes::configure;
pub use store::{
    Speaker, SpeakerFilter, create_speaker, list_speakers, load_speaker, load_speakers,
    update_speaker,
};

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::domain::{
    EmailAddress, Fields, Invalid, Link, LongText, Tags, Text, http_url, optional_text,
    optional_year, parsed,
};

/// Why a speaker could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum SpeakerError {
    #[error("speaker not found")]
    NotFound,
    #[error(transparent)]
    Invalid(#[from] Invalid),
    /// The speaker gives a talk (`talk` is empty if it vanished meanwhile).
    #[error("the speaker gives the talk {talk:?}")]
    GivesTalk { talk_id: Uuid, talk: String },
    #[error(transparent)]
    Database(#[from] sea_orm::DbErr),
}

/// A speaker lists at most this many links (a profile, a blog, not a link farm).
pub const MAX_LINKS: usize = 10;

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SpeakerInput {
    #[schema(example = "김서연")]
    pub name: String,
    /// Used to contact the speaker; never shown publicly.
    #[schema(example = "seoyeon.kim@example.com")]
    pub email: String,
    /// Year of admission (학번), e.g. 2014 for 14학번.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(example = 2014)]
    pub admission_year: Option<i32>,
    /// Free-form cohort label when a year is not enough, e.g. "1기".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(example = "14학번")]
    pub cohort: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(example = "Toss")]
    pub affiliation: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(example = "Backend Engineer")]
    pub job_title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(example = "결제 시스템을 만들고 있습니다.")]
    pub bio: Option<String>,
    #[serde(default)]
    pub links: Vec<Link>,
    #[serde(default)]
    #[schema(example = json!(["backend", "fintech"]))]
    pub tags: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct NewSpeaker {
    pub name: String,
    pub email: String,
    pub admission_year: Option<i32>,
    pub cohort: Option<String>,
    pub affiliation: Option<String>,
    pub job_title: Option<String>,
    pub bio: Option<String>,
    pub links: Vec<Link>,
    pub tags: Tags,
}

impl SpeakerInput {
    pub fn parse(&self) -> Result<NewSpeaker, Invalid> {
        let mut fields = Fields::default();
        let name = fields.check("name", Text::<100>::parse(&self.name));
        let email = fields.check("email", EmailAddress::parse(&self.email));
        let admission_year = fields.check("admission_year", optional_year(self.admission_year));
        let cohort = fields.check("cohort", optional_text::<50>(self.cohort.as_deref()));
        let affiliation = fields.check(
            "affiliation",
            optional_text::<200>(self.affiliation.as_deref()),
        );
        let job_title = fields.check("job_title", optional_text::<200>(self.job_title.as_deref()));
        let bio = fields.check("bio", LongText::<5000>::parse(self.bio.as_deref()));
        let tags = fields.check("tags", Tags::parse(&self.tags));
        if self.links.len() > MAX_LINKS {
            fields.push("links", format!("at most {MAX_LINKS} links"));
        }
        let mut links = Vec::with_capacity(self.links.len());
        for (index, link) in self.links.iter().enumerate() {
            let label = fields.check(
                format!("links[{index}].label"),
                Text::<50>::parse(&link.label),
            );
            let url = fields.check(format!("links[{index}].url"), http_url(&link.url));
            if let (Some(label), Some(url)) = (label, url) {
                links.push(Link {
                    label: label.into_inner(),
                    url,
                });
            }
        }
        fields.finish()?;
        Ok(NewSpeaker {
            name: parsed(name).into_inner(),
            email: parsed(email).into_inner(),
            admission_year: parsed(admission_year),
            cohort: parsed(cohort),
            affiliation: parsed(affiliation),
            job_title: parsed(job_title),
            bio: parsed(bio).into_inner(),
            links,
            tags: parsed(tags),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_speaker_fields_are_all_reported() {
        let input: SpeakerInput = serde_json::from_value(serde_json::json!({
            "name": "", "email": "nope", "admission_year": 1800,
            "links": [{"label": "blog", "url": "javascript:x"}], "tags": ["a%"]
        }))
        .unwrap();
        let Invalid(errors) = input.parse().unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            ["name", "email", "admission_year", "tags", "links[0].url"]
        );
    }
}
