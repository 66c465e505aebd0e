//! The registration form as the templates render it: its sections and fields, filled with
//! what the person entered, and the rules' errors beside their fields and in a summary.

use super::super::i18n::Words;
use super::values::{FormData, HONEYPOT, answer_field};
use crate::domain::Labelled;
use crate::error::{FieldError, FieldProblem};
use crate::registration::questions::{Question, QuestionKind};
use crate::registration::{Goal, Language, Role};
use uuid::Uuid;

/// The form field an error of the registration rules belongs to: `interests[2]` is the
/// interests group, `answers.<id>` the question.
fn field_key(field: &str) -> &str {
    match field.find('[') {
        Some(bracket) => &field[..bracket],
        None => field,
    }
}

/// An error of the registration rules or the form, in the page's language.
pub fn localize(lang: Language, error: &FieldError) -> String {
    let t = lang.t();
    let field = field_key(&error.field);
    let known = match &error.problem {
        FieldProblem::Required if field.starts_with("answers.") => t.fe_answer_required,
        FieldProblem::Required => t.fe_required,
        FieldProblem::SingleLine => t.fe_single_line,
        FieldProblem::ControlCharacters => t.fe_control,
        FieldProblem::TooLong { max } => return lang.too_long(*max),
        FieldProblem::Email => t.fe_email,
        FieldProblem::Year { earliest, latest } => return lang.year_rule(*earliest, *latest),
        FieldProblem::NotATopic => t.fe_not_topic,
        FieldProblem::NotASpeaker => t.fe_not_speaker,
        FieldProblem::AnswerRequired => t.fe_answer_required,
        FieldProblem::ChooseOne if field == "role" => t.fe_role,
        FieldProblem::ChooseOne | FieldProblem::ChooseAmong => t.fe_choose,
        FieldProblem::SingleAnswer => t.fe_single_answer,
        FieldProblem::EmailFixed => t.fe_email_fixed,
        FieldProblem::GraduationBeforeAdmission => t.fe_graduation_before,
        FieldProblem::TablesPublished => t.fe_tables_published,
        FieldProblem::Other(_) => t.fe_invalid,
    };
    known.to_string()
}

/// One choice of a radio group or checkbox group.
pub struct Choice {
    pub id: String,
    pub value: String,
    pub label: String,
    pub checked: bool,
}

/// One field of the form, ready to render.
pub struct Field {
    /// The element's id (the error summary links to it).
    pub id: String,
    pub name: String,
    pub label: String,
    /// `input`, `textarea`, `radios`, `checkboxes`, `checkbox` or `static`.
    pub kind: &'static str,
    /// For `checkbox`: the legend of the fieldset the choice stands in on its own.
    pub legend: &'static str,
    /// For `input`: `text`, `email` or `text` with a numeric keyboard.
    pub input_type: &'static str,
    pub inputmode: &'static str,
    pub autocomplete: &'static str,
    pub value: String,
    pub checked: bool,
    pub choices: Vec<Choice>,
    pub required: bool,
    pub hint: String,
    pub error: Option<String>,
    /// For `checkbox`: shown as it is, not to be changed (a hidden input keeps it in the post).
    pub locked: bool,
}

impl Field {
    fn new(id: &str, name: &str, label: &str, kind: &'static str) -> Self {
        Self {
            id: id.into(),
            name: name.into(),
            label: label.into(),
            kind,
            legend: "",
            input_type: "text",
            inputmode: "",
            autocomplete: "",
            value: String::new(),
            checked: false,
            choices: Vec::new(),
            required: false,
            hint: String::new(),
            error: None,
            locked: false,
        }
    }

    fn input(id: &str, label: &str, value: &str) -> Self {
        Self {
            value: value.into(),
            ..Self::new(&format!("f-{id}"), id, label, "input")
        }
    }

    fn required(mut self) -> Self {
        self.required = true;
        self
    }

    fn hint(mut self, hint: &str) -> Self {
        self.hint = hint.into();
        self
    }

    /// The ids of the hint and error paragraphs, for `aria-describedby`.
    pub fn described_by(&self) -> String {
        let mut ids = Vec::new();
        if !self.hint.is_empty() {
            ids.push(format!("{}-hint", self.id));
        }
        if self.error.is_some() {
            ids.push(format!("{}-error", self.id));
        }
        ids.join(" ")
    }

    /// The accessibility attributes of the control: `required`, `aria-invalid` and
    /// `aria-describedby`. Made of fixed words and generated ids only, so it is emitted as is.
    pub fn control_attrs(&self) -> String {
        let mut attrs = String::new();
        if self.required {
            attrs.push_str(" required aria-required=\"true\"");
        }
        if self.error.is_some() {
            attrs.push_str(" aria-invalid=\"true\"");
        }
        let described_by = self.described_by();
        if !described_by.is_empty() {
            attrs.push_str(&format!(" aria-describedby=\"{described_by}\""));
        }
        attrs
    }
}

pub struct Section {
    pub heading: &'static str,
    pub fields: Vec<Field>,
}

/// An entry of the error summary above the form, linking to its field.
pub struct ErrorLink {
    pub href: String,
    pub label: String,
    pub message: String,
}

/// The speakers the person may pick: id and a label such as "김서연 (Toss)".
pub struct SpeakerChoice {
    pub id: Uuid,
    pub label: String,
}

/// What the form offers: the event's tags, speakers and custom questions.
pub struct FormOptions<'a> {
    pub tags: &'a Labelled,
    pub speakers: &'a [SpeakerChoice],
    pub questions: &'a [Question],
    /// The tables are published: the networking choice is shown but cannot change.
    pub consent_locked: bool,
}

/// The whole form as the templates render it.
pub struct FormView {
    pub action: String,
    /// `h2` on the registration page, `h3` inside the manage page's section.
    pub heading_tag: &'static str,
    pub csrf: String,
    pub honeypot: &'static str,
    pub sections: Vec<Section>,
    pub summary: Vec<ErrorLink>,
    pub submit: &'static str,
}

impl FormView {
    /// Lays out the form with `values` and the inline `errors` (fields named as the
    /// registration rules name them). `email_editable` is false on the manage page.
    pub fn new(
        lang: Language,
        values: &FormData,
        errors: &[FieldError],
        options: &FormOptions<'_>,
        email_editable: bool,
    ) -> Self {
        let t = lang.t();
        let choice = |group: &str, index: usize, value: &str, label: &str, checked: bool| Choice {
            id: format!("f-{group}-{index}"),
            value: value.into(),
            label: label.into(),
            checked,
        };

        let interests = values.all("interests");
        let goals = values.all("goals");
        let speakers = values.all("wanted_speaker_ids");
        let mut about = vec![
            Field {
                autocomplete: "name",
                ..Field::input("name", t.name, values.text("name")).required()
            },
            if email_editable {
                Field {
                    input_type: "email",
                    autocomplete: "email",
                    ..Field::input("email", t.email, values.text("email"))
                        .required()
                        .hint(t.email_hint)
                }
            } else {
                Field {
                    kind: "static",
                    ..Field::input("email", t.email, values.text("email")).hint(t.email_fixed_hint)
                }
            },
            // Three options: radios show them all at once, one tap each.
            Field {
                choices: Role::ALL
                    .iter()
                    .enumerate()
                    .map(|(i, role)| {
                        let chosen = values.text("role").trim() == role.as_str();
                        choice("role", i, role.as_str(), lang.role(*role), chosen)
                    })
                    .collect(),
                ..Field::new("f-role", "role", t.role, "radios").required()
            },
            Field {
                inputmode: "numeric",
                ..Field::input(
                    "admission_year",
                    t.admission_year,
                    values.text("admission_year"),
                )
                .hint(t.admission_year_hint)
            },
            Field {
                inputmode: "numeric",
                ..Field::input(
                    "graduation_year",
                    t.graduation_year,
                    values.text("graduation_year"),
                )
                .hint(t.graduation_year_hint)
            },
            Field {
                autocomplete: "organization",
                ..Field::input("affiliation", t.affiliation, values.text("affiliation"))
            },
            Field {
                autocomplete: "organization-title",
                ..Field::input("job_title", t.job_title, values.text("job_title"))
            },
        ];
        about.push(Field {
            choices: [Language::Ko, Language::En]
                .iter()
                .enumerate()
                .map(|(i, language)| {
                    let label = match language {
                        Language::Ko => t.language_ko,
                        Language::En => t.language_en,
                    };
                    let chosen = Language::parse(values.text("language").trim()) == Some(*language);
                    choice("language", i, language.as_str(), label, chosen)
                })
                .collect(),
            ..Field::new("f-language", "language", t.language, "radios")
        });

        // Consent first: it decides whether the person is seated at all, and the rest of the
        // section only matters for those who are.
        let consent_hint = if options.consent_locked {
            t.fe_tables_published
        } else {
            t.consent_help
        };
        let mut networking = vec![Field {
            checked: values.first("consent_share").is_some(),
            value: "yes".into(),
            legend: t.consent_legend,
            locked: options.consent_locked,
            ..Field::new("f-consent_share", "consent_share", t.consent, "checkbox")
                .hint(consent_hint)
        }];
        if !options.tags.is_empty() {
            networking.push(Field {
                choices: options
                    .tags
                    .values
                    .iter()
                    .enumerate()
                    .map(|(i, tag)| {
                        let label = options.tags.english.label(tag, lang);
                        choice(
                            "interests",
                            i,
                            tag,
                            label,
                            interests.contains(&tag.as_str()),
                        )
                    })
                    .collect(),
                ..Field::new("f-interests", "interests", t.interests, "checkboxes")
            });
        }
        networking.push(Field {
            kind: "textarea",
            ..Field::input(
                "interests_other",
                t.interests_other,
                values.text("interests_other"),
            )
        });
        networking.push(Field {
            choices: Goal::ALL
                .iter()
                .enumerate()
                .map(|(i, goal)| {
                    let value = goal.as_str();
                    let label = match goal {
                        Goal::FindMentor => t.goal_find_mentor,
                        Goal::Mentor => t.goal_mentor,
                        Goal::Hiring => t.goal_hiring,
                        Goal::JobSeeking => t.goal_job_seeking,
                        Goal::MeetPeople => t.goal_meet_people,
                    };
                    choice("goals", i, value, label, goals.contains(&value))
                })
                .collect(),
            ..Field::new("f-goals", "goals", t.goals, "checkboxes")
        });
        if !options.speakers.is_empty() {
            networking.push(Field {
                choices: options
                    .speakers
                    .iter()
                    .enumerate()
                    .map(|(i, speaker)| {
                        let id = speaker.id.to_string();
                        let checked = speakers.contains(&id.as_str());
                        choice("speakers", i, &id, &speaker.label, checked)
                    })
                    .collect(),
                ..Field::new(
                    "f-wanted_speaker_ids",
                    "wanted_speaker_ids",
                    t.speakers_wanted,
                    "checkboxes",
                )
            });
        }

        let questions: Vec<Field> = options
            .questions
            .iter()
            .enumerate()
            .map(|(q, question)| {
                let given = values.answer(question);
                let group = format!("q{q}");
                let choices = question
                    .options
                    .iter()
                    .enumerate()
                    .map(|(i, option)| {
                        let label = question.options_en.label(option, lang);
                        choice(&group, i, option, label, given.contains(&option.as_str()))
                    })
                    .collect();
                let kind = match question.kind {
                    QuestionKind::Text => "textarea",
                    QuestionKind::SingleChoice => "radios",
                    QuestionKind::MultipleChoice => "checkboxes",
                };
                Field {
                    required: question.required,
                    value: given.first().copied().unwrap_or_default().into(),
                    choices,
                    ..Field::new(
                        &format!("f-{group}"),
                        &answer_field(question.id),
                        question.label_in(lang),
                        kind,
                    )
                }
            })
            .collect();

        let mut sections = vec![
            Section {
                heading: t.about_you_heading,
                fields: about,
            },
            Section {
                heading: t.networking_heading,
                fields: networking,
            },
        ];
        if !questions.is_empty() {
            sections.push(Section {
                heading: t.questions_heading,
                fields: questions,
            });
        }

        // Each error goes beside its field (the first one per field) and into the summary,
        // which lists them in the order of the fields on the form (errors of no field last).
        let mut summary = Vec::new();
        for error in errors {
            let key = field_key(&error.field);
            let message = localize(lang, error);
            let field = sections
                .iter_mut()
                .flat_map(|section| section.fields.iter_mut())
                .enumerate()
                .find(|(_, field)| field.name == key);
            match field {
                Some((position, field)) => {
                    let link = ErrorLink {
                        href: format!("#{}", field.id),
                        label: field.label.clone(),
                        message: message.clone(),
                    };
                    summary.push((position, link));
                    field.error.get_or_insert(message);
                }
                None => summary.push((
                    usize::MAX,
                    ErrorLink {
                        href: "#form".into(),
                        label: key.to_string(),
                        message,
                    },
                )),
            }
        }
        summary.sort_by_key(|(position, _)| *position);
        let summary = summary.into_iter().map(|(_, link)| link).collect();

        FormView {
            action: String::new(),
            heading_tag: "h2",
            csrf: String::new(),
            honeypot: HONEYPOT,
            sections,
            summary,
            submit: t.submit,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::values::question;
    use super::*;
    use crate::domain::{Invalid, Year};
    use crate::registration::{FormContext, RegistrationInput};

    /// Every message the registration rules give for form input has a translation: a new or
    /// reworded message fails here instead of showing a vague "check this field".
    #[test]
    fn every_rule_message_is_translated() {
        let text = question(QuestionKind::Text, true);
        let single = question(QuestionKind::SingleChoice, true);
        let multi = question(QuestionKind::MultipleChoice, false);
        let context = FormContext {
            tags: Labelled::plain(vec!["career".into()]),
            speaker_ids: vec![],
            questions: vec![text.clone(), single.clone(), multi.clone()],
        };
        let inputs = [
            serde_json::json!({"name": " ", "email": "nope", "role": "student",
                "admission_year": 1800, "affiliation": "a\u{7}b", "interests": ["cooking"],
                "wanted_speaker_ids": [Uuid::now_v7()],
                "answers": {single.id.to_string(): "C", multi.id.to_string(): ["Z"]}}),
            serde_json::json!({"name": "x".repeat(101), "email": "a@b.co", "role": "student",
                "interests_other": "a\u{7}b",
                "answers": {text.id.to_string(): "t", single.id.to_string(): ["A"],
                    multi.id.to_string(): "Z"}}),
        ];
        let mut seen = 0;
        for input in inputs {
            let input: RegistrationInput = serde_json::from_value(input).unwrap();
            let Err(Invalid(errors)) = input.parse(&context) else {
                panic!("invalid input passed")
            };
            for error in errors {
                for lang in [Language::Ko, Language::En] {
                    let message = localize(lang, &error);
                    assert_ne!(
                        message,
                        lang.t().fe_invalid,
                        "no translation for {} on {}",
                        error.message,
                        error.field
                    );
                }
                seen += 1;
            }
        }
        assert!(seen >= 10, "{seen}");
        assert_eq!(
            localize(
                Language::Ko,
                &FieldError::new("email", FieldProblem::EmailFixed)
            ),
            Language::Ko.t().fe_email_fixed
        );
    }

    /// Each known problem has its own words; only `Other` falls back to the vague text.
    #[test]
    fn every_known_problem_is_translated() {
        let known = [
            FieldProblem::Required,
            FieldProblem::SingleLine,
            FieldProblem::ControlCharacters,
            FieldProblem::TooLong { max: 100 },
            FieldProblem::Email,
            Year::PROBLEM,
            FieldProblem::NotATopic,
            FieldProblem::NotASpeaker,
            FieldProblem::AnswerRequired,
            FieldProblem::ChooseOne,
            FieldProblem::ChooseAmong,
            FieldProblem::SingleAnswer,
            FieldProblem::EmailFixed,
            FieldProblem::GraduationBeforeAdmission,
            FieldProblem::TablesPublished,
        ];
        for lang in [Language::Ko, Language::En] {
            for problem in known.clone() {
                let message = localize(lang, &FieldError::new("name", problem.clone()));
                assert_ne!(message, lang.t().fe_invalid, "{problem:?}");
            }
            let other = FieldError::new("name", "must not be empty, reworded");
            assert_eq!(localize(lang, &other), lang.t().fe_invalid);
        }
    }

    #[test]
    fn errors_land_beside_their_fields_and_in_the_summary() {
        let multi = question(QuestionKind::MultipleChoice, true);
        let tags = Labelled::plain(vec!["career".to_string()]);
        let questions = [multi.clone()];
        let options = FormOptions {
            tags: &tags,
            speakers: &[],
            questions: &questions,
            consent_locked: false,
        };
        let errors = [
            FieldError::new("email", FieldProblem::Email),
            FieldError::new("interests[0]", FieldProblem::NotATopic),
            FieldError::new(
                format!("answers.{}", multi.id),
                FieldProblem::AnswerRequired,
            ),
        ];
        let view = FormView::new(
            Language::Ko,
            &FormData::blank(Language::Ko),
            &errors,
            &options,
            true,
        );
        let field = |name: &str| {
            view.sections
                .iter()
                .flat_map(|s| &s.fields)
                .find(|f| f.name == name)
                .unwrap()
        };
        assert_eq!(
            field("email").error.as_deref(),
            Some(Language::Ko.t().fe_email)
        );
        assert_eq!(field("email").described_by(), "f-email-hint f-email-error");
        assert!(field("interests").error.is_some());
        assert_eq!(field(&format!("answers.{}", multi.id)).label, "질문");
        assert_eq!(view.summary.len(), 3);
        assert_eq!(view.summary[0].href, "#f-email");
    }

    #[test]
    fn the_summary_follows_the_fields_on_the_form() {
        let multi = question(QuestionKind::MultipleChoice, true);
        let questions = [multi.clone()];
        let options = FormOptions {
            tags: &Labelled::default(),
            speakers: &[],
            questions: &questions,
            consent_locked: false,
        };
        // As the form and the rules find them: the form's own first, then the rules'.
        let errors = [
            FieldError::new("role", FieldProblem::ChooseOne),
            FieldError::new("goals", FieldProblem::ChooseAmong),
            FieldError::new(
                format!("answers.{}", multi.id),
                FieldProblem::AnswerRequired,
            ),
            FieldError::new("name", FieldProblem::Required),
            FieldError::new("graduation_year", FieldProblem::GraduationBeforeAdmission),
            FieldError::new("consent_share", FieldProblem::TablesPublished),
        ];
        let blank = FormData::blank(Language::En);
        let view = FormView::new(Language::En, &blank, &errors, &options, true);
        let order: Vec<_> = view.summary.iter().map(|link| link.href.as_str()).collect();
        assert_eq!(
            order,
            [
                "#f-name",
                "#f-role",
                "#f-graduation_year",
                "#f-consent_share",
                "#f-goals",
                "#f-q0"
            ]
        );
    }

    #[test]
    fn role_is_three_radios_without_a_placeholder() {
        let mut values = FormData::blank(Language::Ko);
        values.set("role", "alumni");
        let options = FormOptions {
            tags: &Labelled::default(),
            speakers: &[],
            questions: &[],
            consent_locked: false,
        };
        let view = FormView::new(Language::Ko, &values, &[], &options, true);
        let role = view.sections[0]
            .fields
            .iter()
            .find(|field| field.name == "role")
            .unwrap();
        assert_eq!(role.kind, "radios");
        let chosen: Vec<_> = role
            .choices
            .iter()
            .map(|c| (c.value.as_str(), c.checked))
            .collect();
        assert_eq!(
            chosen,
            [("student", false), ("alumni", true), ("guest", false)]
        );
    }
}
