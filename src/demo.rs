//! A realistic sample homecoming, so a newcomer sees something at once: a venue with rooms,
//! six alumni speakers, a schedule of talks and networking blocks, and a published event.
//! It goes through the same parsing and rules as the API.

use chrono::{Datelike, Duration, NaiveTime, TimeZone, Utc, Weekday};
use entity::event;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::events::{EventInput, EventStatus};
use crate::registration::links::ManageLinks;
use crate::speakers::SpeakerInput;
use crate::talks::TalkInput;
use crate::venues::VenueInput;
use crate::{events, speakers, talks, venues};

pub const DEMO_SLUG: &str = "1n-homecoming-demo";

/// Loads the demo once; later calls find it and change nothing. Returns the event's slug.
pub async fn load(db: &DatabaseConnection, links: &ManageLinks) -> anyhow::Result<String> {
    if event::Entity::find()
        .filter(event::Column::Slug.eq(DEMO_SLUG))
        .one(db)
        .await?
        .is_some()
    {
        return Ok(DEMO_SLUG.into());
    }
    let venue = venues::create_venue(
        db,
        input::<VenueInput>(json!({
            "name": "서울대학교 관악캠퍼스 302동",
            "address": "서울특별시 관악구 관악로 1, 302동",
            "map_url": "https://map.naver.com/p/search/서울대학교%20302동",
            "capacity": 150,
            "notes": "정문 주차 불가. 낙성대역 4번 출구에서 셔틀 운행.",
            "rooms": [
                {"name": "대강당", "capacity": 150},
                {"name": "세미나실 A", "capacity": 40},
                {"name": "라운지", "capacity": 80}
            ]
        }))?
        .parse()?,
    )
    .await?;
    let [hall, seminar, lounge] = [0, 1, 2].map(|i| venue.rooms[i].id);

    let mut speaker_ids = Vec::new();
    for (name, year, affiliation, job_title, bio, tags) in [
        (
            "박지훈",
            2009,
            "Kakao",
            "Engineering Manager",
            "1&N 3기 회장. 카카오에서 메시징 플랫폼 팀을 이끌고 있습니다.",
            vec!["backend", "leadership", "hiring"],
        ),
        (
            "김서연",
            2014,
            "Toss",
            "Backend Engineer",
            "토스에서 결제 시스템을 만듭니다. 신입 때의 시행착오를 나누고 싶어요.",
            vec!["backend", "fintech", "career"],
        ),
        (
            "이하은",
            2017,
            "NAVER",
            "ML Engineer",
            "검색 랭킹 모델을 만듭니다. 대학원과 취업 사이에서 고민했던 이야기.",
            vec!["ai", "ml", "career"],
        ),
        (
            "최민준",
            2011,
            "당근",
            "CTO",
            "스타트업 두 번째 창업 중. 채용 중입니다!",
            vec!["startup", "hiring", "leadership"],
        ),
        (
            "정수아",
            2019,
            "Samsung Research",
            "Researcher",
            "온디바이스 AI를 연구합니다.",
            vec!["ai", "research"],
        ),
        (
            "강도윤",
            2013,
            "Coupang",
            "Senior Recruiter",
            "개발자 채용만 8년째. 이력서와 면접 이야기라면 무엇이든.",
            vec!["hiring", "career"],
        ),
    ] {
        let email = format!("{}@example.com", Uuid::new_v4().simple());
        let speaker = speakers::create_speaker(
            db,
            input::<SpeakerInput>(json!({
                "name": name, "email": email, "admission_year": year,
                "cohort": format!("{}학번", year % 100),
                "affiliation": affiliation, "job_title": job_title, "bio": bio, "tags": tags,
                "links": [{"label": "LinkedIn", "url": "https://www.linkedin.com/"}]
            }))?
            .parse()?,
        )
        .await?;
        speaker_ids.push(speaker.id);
    }
    let [jihoon, seoyeon, haeun, minjun, sua, doyun] = [0, 1, 2, 3, 4, 5].map(|i| speaker_ids[i]);

    // The first Saturday at least five weeks away, 13:00 to 19:00 in Seoul.
    let seoul = chrono_tz::Asia::Seoul;
    let mut day = (Utc::now() + Duration::weeks(5))
        .with_timezone(&seoul)
        .date_naive();
    while day.weekday() != Weekday::Sat {
        day = day.succ_opt().expect("dates continue");
    }
    let at = |hour: u32, minute: u32| {
        seoul
            .from_local_datetime(
                &day.and_time(NaiveTime::from_hms_opt(hour, minute, 0).expect("valid time")),
            )
            .single()
            .expect("Seoul has no DST gaps")
            .fixed_offset()
    };
    let event = events::create_event(
        db,
        input::<EventInput>(json!({
            "title": "1&N 홈커밍 데모",
            "slug": DEMO_SLUG,
            "description": "졸업생과 재학생이 다시 만나는 1&N의 연례 홈커밍. 짧은 발표를 듣고, 무엇보다 서로 이야기합니다.",
            "starts_at": at(13, 0), "ends_at": at(19, 0),
            "time_zone": "Asia/Seoul",
            "venue_id": venue.id, "capacity": 120,
            "registration_opens_at": Utc::now().fixed_offset(),
            "registration_closes_at": at(0, 0),
            "tags": ["career", "backend", "ai", "startup", "hiring"]
        }))?
        .parse()?,
    )
    .await?;

    let talk = |kind: &str,
                title: &str,
                speakers: &[Uuid],
                room: Uuid,
                from: (u32, u32),
                to: (u32, u32)| {
        json!({
            "kind": kind, "title": title, "speaker_ids": speakers, "room_id": room,
            "starts_at": at(from.0, from.1), "ends_at": at(to.0, to.1)
        })
    };
    let schedule = [
        talk(
            "talk",
            "1&N 10년: 동아리가 남긴 것",
            &[jihoon],
            hall,
            (13, 0),
            (13, 20),
        ),
        talk(
            "talk",
            "신입 개발자로 살아남기",
            &[seoyeon],
            hall,
            (13, 20),
            (13, 40),
        ),
        talk(
            "lightning",
            "대학원 vs 취업, 1년 뒤의 나",
            &[haeun],
            hall,
            (13, 40),
            (13, 50),
        ),
        talk(
            "lightning",
            "온디바이스 AI 한 입",
            &[sua],
            hall,
            (13, 50),
            (14, 0),
        ),
        talk("break", "커피 브레이크", &[], lounge, (14, 0), (14, 15)),
        talk(
            "panel",
            "주니어 채용 시장, 솔직하게",
            &[minjun, doyun, jihoon],
            hall,
            (14, 15),
            (15, 0),
        ),
        talk(
            "networking",
            "네트워킹 1부 (3라운드)",
            &[],
            lounge,
            (15, 0),
            (16, 30),
        ),
        talk(
            "talk",
            "두 번째 창업에서 배운 것",
            &[minjun],
            seminar,
            (16, 30),
            (17, 0),
        ),
        talk(
            "networking",
            "네트워킹 2부 (3라운드)",
            &[],
            lounge,
            (17, 0),
            (19, 0),
        ),
    ];
    for item in schedule {
        talks::create_talk(db, event.id, input::<TalkInput>(item)?.parse()?).await?;
    }

    events::update_event(db, links, event.id, |current| {
        EventInput {
            status: Some(EventStatus::Published),
            ..current
        }
        .parse()
    })
    .await?;
    Ok(event.slug)
}

fn input<T: serde::de::DeserializeOwned>(value: Value) -> anyhow::Result<T> {
    Ok(serde_json::from_value(value)?)
}
