//! Every text the pages show, in Korean and English. `Words::t` gives the fixed strings; the
//! other methods of `Words` build the ones with numbers, dates or names in them. A text missing in
//! one language is a compile error: both are one `Strings` value each.

use chrono::{DateTime, Datelike, FixedOffset, Timelike};

use crate::registration::{Language, RegistrationStatus, Role};
use crate::talks::TalkKind;

/// A language code from a query or a stored preference: `ko` or `en`, any case.
pub fn language_from_code(raw: &str) -> Option<Language> {
    Language::parse(raw.trim().to_ascii_lowercase().as_str())
}

/// The language an `Accept-Language` header prefers among Korean and English: the one with
/// the higher quality, the earlier one on a tie; `None` when it names neither.
pub fn from_accept_language(header: &str) -> Option<Language> {
    let mut best: Option<(Language, f32)> = None;
    for item in header.split(',') {
        let mut parts = item.split(';');
        let tag = parts.next().unwrap_or("").trim();
        let primary = tag.split(['-', '_']).next().unwrap_or("");
        let Some(lang) = language_from_code(primary) else {
            continue;
        };
        let quality = parts
            .filter_map(|param| param.trim().strip_prefix("q="))
            .filter_map(|q| q.trim().parse::<f32>().ok())
            .next()
            .unwrap_or(1.0);
        if quality <= 0.0 {
            continue;
        }
        if best.is_none_or(|(_, q)| quality > q) {
            best = Some((lang, quality));
        }
    }
    best.map(|(lang, _)| lang)
}

/// The pages' words in a language: the fixed texts (`t`) and the ones built from numbers,
/// dates or names. A trait because [`Language`] is the stored enum of the `entity` crate.
pub trait Words: Copy {
    fn language(self) -> Language;

    fn t(self) -> &'static Strings {
        match self.language() {
            Language::Ko => &KO,
            Language::En => &EN,
        }
    }

    fn role(self, role: Role) -> &'static str {
        let t = self.t();
        match role {
            Role::Student => t.role_student,
            Role::Alumni => t.role_alumni,
            Role::Guest => t.role_guest,
        }
    }

    fn status(self, status: RegistrationStatus) -> &'static str {
        let t = self.t();
        match status {
            RegistrationStatus::Confirmed => t.status_confirmed,
            RegistrationStatus::Waitlisted => t.status_waitlisted,
            RegistrationStatus::Pending => t.status_pending,
            RegistrationStatus::Rejected => t.status_rejected,
            RegistrationStatus::Cancelled => t.status_cancelled,
        }
    }

    fn talk_kind(self, kind: TalkKind) -> &'static str {
        let t = self.t();
        match kind {
            TalkKind::Talk => t.kind_talk,
            TalkKind::Lightning => t.kind_lightning,
            TalkKind::Panel => t.kind_panel,
            TalkKind::Networking => t.kind_networking,
            TalkKind::Break => t.kind_break,
        }
    }

    /// "2026년 5월 16일 (토)" / "Sat 16 May 2026".
    fn date(self, at: &DateTime<FixedOffset>) -> String {
        let weekday = at.weekday().num_days_from_monday() as usize;
        match self.language() {
            Language::Ko => format!(
                "{}년 {}월 {}일 ({})",
                at.year(),
                at.month(),
                at.day(),
                ["월", "화", "수", "목", "금", "토", "일"][weekday]
            ),
            Language::En => format!(
                "{} {} {} {}",
                ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][weekday],
                at.day(),
                [
                    "January",
                    "February",
                    "March",
                    "April",
                    "May",
                    "June",
                    "July",
                    "August",
                    "September",
                    "October",
                    "November",
                    "December"
                ][at.month0() as usize],
                at.year()
            ),
        }
    }

    /// "13:00" (24-hour clock in both languages).
    fn time(self, at: &DateTime<FixedOffset>) -> String {
        format!("{:02}:{:02}", at.hour(), at.minute())
    }

    /// A date with its time: "2026년 5월 16일 (토) 13:00".
    fn date_time(self, at: &DateTime<FixedOffset>) -> String {
        format!("{} {}", self.date(at), self.time(at))
    }

    fn times_in_zone(self, zone: &str) -> String {
        match self.language() {
            Language::Ko => format!("시간은 모두 {zone} 기준입니다."),
            Language::En => format!("All times are in {zone}."),
        }
    }

    fn seats_left(self, seats: i64) -> String {
        match self.language() {
            Language::Ko => format!("남은 자리 {seats}석"),
            Language::En if seats == 1 => "1 seat left".into(),
            Language::En => format!("{seats} seats left"),
        }
    }

    fn opens_at(self, when: &str) -> String {
        match self.language() {
            Language::Ko => format!("참가 신청은 {when}에 열립니다."),
            Language::En => format!("Registration opens on {when}."),
        }
    }

    fn waitlist_position(self, position: u64) -> String {
        match self.language() {
            Language::Ko => format!("대기 순번: {position}번"),
            Language::En => format!("Waitlist position: {position}"),
        }
    }

    fn waitlisted_text(self, position: u64) -> String {
        match self.language() {
            Language::Ko => format!(
                "대기 순번은 {position}번입니다. 자리가 나면 순서대로 확정되며, 확정되면 메일로 알려 드립니다."
            ),
            Language::En => format!(
                "You are number {position} on the waitlist. Seats that free up go to the waitlist \
                 in order; we will email you when yours is confirmed."
            ),
        }
    }

    fn admission_year(self, year: i32) -> String {
        match self.language() {
            Language::Ko => format!("{:02}학번", year.rem_euclid(100)),
            Language::En => format!("Admitted {year}"),
        }
    }

    fn year_rule(self, earliest: i32, latest: i32) -> String {
        match self.language() {
            Language::Ko => format!("{earliest}에서 {latest} 사이의 연도를 숫자로 입력해 주세요."),
            Language::En => {
                format!("Please enter a year between {earliest} and {latest}, as a number.")
            }
        }
    }

    fn too_long(self, max: usize) -> String {
        match self.language() {
            Language::Ko => format!("{max}자 이내로 입력해 주세요."),
            Language::En => format!("Please use at most {max} characters."),
        }
    }

    fn retry_after(self, seconds: u64) -> String {
        match self.language() {
            Language::Ko => format!(
                "같은 곳에서 너무 많은 신청이 들어왔습니다. {seconds}초 뒤에 다시 시도해 주세요."
            ),
            Language::En => format!(
                "Too many forms were sent from your network. Please try again in {seconds} seconds."
            ),
        }
    }

    fn qr_label(self, code: &str) -> String {
        match self.language() {
            Language::Ko => format!("체크인 QR 코드 ({code})"),
            Language::En => format!("Check-in QR code ({code})"),
        }
    }

    fn checked_in_at(self, when: &str) -> String {
        match self.language() {
            Language::Ko => format!("{when}에 체크인했습니다."),
            Language::En => format!("Checked in at {when}."),
        }
    }

    /// One round of a person's networking tables: "Round 1: table 3 — 김민준 (Toss), Jane".
    fn table_line(self, round: u32, table: u32, mates: &str) -> String {
        match self.language() {
            Language::Ko => format!("{round}라운드: {table}번 테이블 — {mates}"),
            Language::En => format!("Round {round}: table {table} — {mates}"),
        }
    }

    fn page_title(self, page: &str, event: &str) -> String {
        format!("{page} · {event}")
    }

    /// The last moment to register, written by `time_words::until` ("5월 14일 (금) 23:59까지").
    fn open_until(self, until: &str) -> String {
        match self.language() {
            Language::Ko => format!("참가 신청은 {until} 받습니다."),
            Language::En => format!("Registration is open {until}."),
        }
    }

    /// A round of a table plan: "라운드 1 / 3" / "Round 1 of 3".
    fn plan_round(self, round: usize, rounds: usize) -> String {
        match self.language() {
            Language::Ko => format!("라운드 {round} / {rounds}"),
            Language::En => format!("Round {round} of {rounds}"),
        }
    }

    /// A table of a table plan: "테이블 5" / "Table 5".
    fn plan_table(self, table: usize) -> String {
        match self.language() {
            Language::Ko => format!("테이블 {table}"),
            Language::En => format!("Table {table}"),
        }
    }
}

impl Words for Language {
    fn language(self) -> Language {
        self
    }
}

/// The fixed texts of the pages in one language.
#[derive(Debug)]
pub struct Strings {
    // Frame
    pub site_name: &'static str,
    pub skip_to_content: &'static str,
    /// The other language's name, in that language (the language switch).
    pub other_language_name: &'static str,
    /// The name of the language switch for screen readers.
    pub switch_language_label: &'static str,
    pub footer: &'static str,
    pub required: &'static str,
    pub optional: &'static str,
    pub error_prefix: &'static str,

    // Event page
    pub when_heading: &'static str,
    pub where_heading: &'static str,
    pub map_link: &'static str,
    pub about_heading: &'static str,
    pub schedule_heading: &'static str,
    pub speakers_heading: &'static str,
    pub no_schedule: &'static str,
    pub registration_heading: &'static str,
    pub register_button: &'static str,
    pub join_waitlist_button: &'static str,
    pub full_notice: &'static str,
    pub approval_notice: &'static str,
    pub not_open_notice: &'static str,
    pub closed_notice: &'static str,
    pub cancelled_notice: &'static str,
    pub speakers_label: &'static str,
    pub room_label: &'static str,
    pub kind_talk: &'static str,
    pub kind_lightning: &'static str,
    pub kind_panel: &'static str,
    pub kind_networking: &'static str,
    pub kind_break: &'static str,
    pub back_to_event: &'static str,

    // Form
    pub register_title: &'static str,
    pub required_intro: &'static str,
    pub error_summary_heading: &'static str,
    pub about_you_heading: &'static str,
    pub name: &'static str,
    pub email: &'static str,
    pub email_hint: &'static str,
    pub email_fixed_hint: &'static str,
    pub role: &'static str,
    pub role_student: &'static str,
    pub role_alumni: &'static str,
    pub role_guest: &'static str,
    pub admission_year: &'static str,
    pub admission_year_hint: &'static str,
    pub graduation_year: &'static str,
    pub graduation_year_hint: &'static str,
    pub affiliation: &'static str,
    pub job_title: &'static str,
    pub networking_heading: &'static str,
    pub interests: &'static str,
    pub interests_other: &'static str,
    pub goals: &'static str,
    pub goal_find_mentor: &'static str,
    pub goal_mentor: &'static str,
    pub goal_hiring: &'static str,
    pub goal_job_seeking: &'static str,
    pub goal_meet_people: &'static str,
    pub speakers_wanted: &'static str,
    pub consent: &'static str,
    pub language: &'static str,
    pub language_ko: &'static str,
    pub language_en: &'static str,
    pub questions_heading: &'static str,
    pub honeypot: &'static str,
    pub submit: &'static str,

    // Field errors
    pub fe_required: &'static str,
    pub fe_single_line: &'static str,
    pub fe_control: &'static str,
    pub fe_email: &'static str,
    pub fe_role: &'static str,
    pub fe_choose: &'static str,
    pub fe_single_answer: &'static str,
    pub fe_answer_required: &'static str,
    pub fe_not_topic: &'static str,
    pub fe_not_speaker: &'static str,
    pub fe_email_fixed: &'static str,
    pub fe_invalid: &'static str,

    // Form-level errors
    pub err_already_registered: &'static str,
    pub err_not_active: &'static str,
    pub err_generic: &'static str,

    // Success page
    pub confirmed_heading: &'static str,
    pub confirmed_text: &'static str,
    pub waitlisted_heading: &'static str,
    pub pending_heading: &'static str,
    pub pending_text: &'static str,
    pub manage_link_text: &'static str,

    // Manage page
    pub manage_title: &'static str,
    pub status_label: &'static str,
    pub status_confirmed: &'static str,
    pub status_waitlisted: &'static str,
    pub status_pending: &'static str,
    pub status_rejected: &'static str,
    pub status_cancelled: &'static str,
    pub checkin_heading: &'static str,
    pub checkin_text: &'static str,
    pub edit_heading: &'static str,
    pub save: &'static str,
    pub saved_notice: &'static str,
    pub cancelled_done: &'static str,
    pub calendar_link: &'static str,
    pub cancel_link: &'static str,
    pub leave_waitlist_link: &'static str,
    pub inactive_text: &'static str,
    pub tables_heading: &'static str,

    // Cancel confirmation
    pub cancel_heading: &'static str,
    pub cancel_text: &'static str,
    pub cancel_pending_text: &'static str,
    pub leave_heading: &'static str,
    pub leave_text: &'static str,
    pub confirm_cancel: &'static str,
    pub confirm_leave: &'static str,
    pub keep: &'static str,

    // Error pages
    pub not_found_title: &'static str,
    pub not_found_text: &'static str,
    pub registration_not_found_text: &'static str,
    pub expired_title: &'static str,
    pub expired_text: &'static str,
    pub reload_form: &'static str,
    pub too_many_title: &'static str,
    pub bad_request_title: &'static str,
    pub bad_request_text: &'static str,
    pub server_error_title: &'static str,

    // Form fixes and networking consent (issue 11, items 5 and 8)
    pub consent_legend: &'static str,
    pub consent_help: &'static str,
    pub fe_graduation_before: &'static str,
    pub fe_tables_published: &'static str,
    pub resubmit_notice: &'static str,
    /// The manage page's form came back after its token expired.
    pub resave_notice: &'static str,
    // Sharing and the day (event page, `/`)
    /// Link previews' description of `/`.
    pub home_description: &'static str,
    pub upcoming_heading: &'static str,
    pub recent_heading: &'static str,
    pub no_upcoming: &'static str,
    pub ended_notice: &'static str,
    /// After the event, once the survey has been mailed.
    pub survey_mailed_notice: &'static str,
    pub cancelled_label: &'static str,
    pub directions_heading: &'static str,
    // The manage page as the ticket (links that only their owner can retire)
    pub link_sent_title: &'static str,
    pub sent_to_label: &'static str,
    pub google_calendar_link: &'static str,
    pub sign_out_heading: &'static str,
    pub sign_out_text: &'static str,
    pub sign_out_button: &'static str,
    pub signed_out_notice: &'static str,
    // Table plan (the room's projector and print-outs)
    pub plan_rounds_label: &'static str,
    pub plan_views_label: &'static str,
    pub plan_previous: &'static str,
    pub plan_next: &'static str,
    pub plan_tables_view: &'static str,
    pub plan_index_view: &'static str,
    pub plan_cards_view: &'static str,
    pub plan_index_heading: &'static str,
    pub plan_cards_heading: &'static str,
    pub plan_not_found_text: &'static str,
    pub plan_no_such_view_text: &'static str,
    // Door check-in page (what the ticket's QR opens)
}

pub static KO: Strings = Strings {
    site_name: "1&N 홈커밍",
    skip_to_content: "본문으로 건너뛰기",
    other_language_name: "English",
    switch_language_label: "언어",
    footer: "1&N 개발 동아리 홈커밍",
    required: "필수",
    optional: "선택",
    error_prefix: "오류: ",

    when_heading: "일시",
    where_heading: "장소",
    map_link: "지도에서 보기",
    about_heading: "행사 소개",
    schedule_heading: "프로그램",
    speakers_heading: "연사",
    no_schedule: "프로그램은 곧 공개됩니다.",
    registration_heading: "참가 신청",
    register_button: "참가 신청하기",
    join_waitlist_button: "대기자로 신청하기",
    full_notice: "정원이 모두 찼습니다. 대기자로 신청하면 자리가 나는 순서대로 확정됩니다.",
    approval_notice: "신청하신 뒤 운영진이 승인하면 참가가 확정됩니다.",
    not_open_notice: "아직 참가 신청을 받지 않습니다.",
    closed_notice: "참가 신청이 마감되었습니다.",
    cancelled_notice: "이 행사는 취소되었습니다.",
    speakers_label: "연사",
    room_label: "장소",
    kind_talk: "발표",
    kind_lightning: "라이트닝 토크",
    kind_panel: "패널 토론",
    kind_networking: "네트워킹",
    kind_break: "휴식",
    back_to_event: "행사 안내로 돌아가기",

    register_title: "참가 신청",
    required_intro: "* 표시는 꼭 입력해야 하는 항목입니다.",
    error_summary_heading: "입력 내용을 확인해 주세요",
    about_you_heading: "참가자 정보",
    name: "이름",
    email: "이메일",
    email_hint: "확인 메일과 개인 관리 링크를 이 주소로 보내 드립니다.",
    email_fixed_hint: "이메일은 바꿀 수 없습니다.",
    role: "구분",
    role_student: "재학생",
    role_alumni: "졸업생",
    role_guest: "게스트",
    admission_year: "학번 (입학 연도)",
    admission_year_hint: "예: 14 또는 2014",
    graduation_year: "졸업 연도",
    graduation_year_hint: "졸업했다면 예: 20 또는 2020",
    affiliation: "소속 (회사 또는 학교)",
    job_title: "직함",
    networking_heading: "네트워킹",
    interests: "관심 주제",
    interests_other: "그 밖의 관심사",
    goals: "네트워킹 목표",
    goal_find_mentor: "멘토 찾기",
    goal_mentor: "멘토 되어 주기",
    goal_hiring: "채용",
    goal_job_seeking: "구직",
    goal_meet_people: "그냥 사람들 만나기",
    speakers_wanted: "이야기 나누고 싶은 연사",
    consent: "네트워킹 테이블에 참여합니다 — 같은 테이블 분들에게 이름과 소속이 보입니다",
    language: "메일 언어",
    language_ko: "한국어",
    language_en: "English",
    questions_heading: "추가 질문",
    honeypot: "이 칸은 비워 두세요",
    submit: "신청하기",

    fe_required: "입력해 주세요.",
    fe_single_line: "한 줄로 입력해 주세요.",
    fe_control: "제어 문자는 쓸 수 없습니다.",
    fe_email: "name@example.com 형식의 이메일 주소를 입력해 주세요.",
    fe_role: "구분을 선택해 주세요.",
    fe_choose: "보기 중에서 골라 주세요.",
    fe_single_answer: "하나만 답해 주세요.",
    fe_answer_required: "이 질문에 답해 주세요.",
    fe_not_topic: "이 행사의 주제가 아닙니다.",
    fe_not_speaker: "이 행사의 연사가 아닙니다.",
    fe_email_fixed: "이메일은 바꿀 수 없습니다. 신청을 취소한 뒤 새로 신청해 주세요.",
    fe_invalid: "입력 내용을 확인해 주세요.",

    err_already_registered: "이 이메일로 이미 신청되어 있어 아무것도 바꾸지 않았습니다. 신청 내용을 보고 바꿀 수 있는 링크를 그 주소로 보냈습니다. 몇 분 전에 받은 메일이 있다면 그 메일의 링크도 그대로 쓸 수 있습니다.",
    err_not_active: "이 신청은 더 이상 바꿀 수 없습니다.",
    err_generic: "요청을 처리하지 못했습니다. 잠시 뒤에 다시 시도해 주세요.",

    confirmed_heading: "참가가 확정되었습니다",
    confirmed_text: "자리가 확정되었습니다. 행사 당일 입구에서 개인 페이지의 체크인 코드(QR 코드)를 보여 주세요.",
    waitlisted_heading: "대기자 명단에 올랐습니다",
    pending_heading: "승인을 기다리고 있습니다",
    pending_text: "운영진이 신청 내용을 확인한 뒤 결과를 메일로 알려 드립니다.",
    manage_link_text: "이 링크에서 신청 내용을 확인하고, 답변을 고치거나, 신청을 취소할 수 있습니다. 같은 링크를 메일로도 보내 드립니다. 다른 사람과 공유하지 마세요.",

    manage_title: "내 신청",
    status_label: "상태",
    status_confirmed: "참가 확정",
    status_waitlisted: "대기 중",
    status_pending: "승인 대기",
    status_rejected: "승인되지 않음",
    status_cancelled: "취소됨",
    checkin_heading: "체크인 코드",
    checkin_text: "행사 당일 입구에서 이 코드나 QR 코드를 보여 주세요.",
    edit_heading: "신청 내용 고치기",
    save: "저장하기",
    saved_notice: "바꾼 내용을 저장했습니다.",
    cancelled_done: "신청을 취소했습니다.",
    calendar_link: "내 캘린더에 추가하기 (.ics)",
    cancel_link: "참가 신청 취소하기",
    leave_waitlist_link: "대기자 명단에서 나가기",
    inactive_text: "이 신청은 더 이상 유효하지 않습니다. 다시 참가하려면 새로 신청해 주세요.",
    tables_heading: "내 네트워킹 테이블",

    cancel_heading: "참가 신청을 취소할까요?",
    cancel_text: "취소하면 자리는 대기자에게 넘어가며 되돌릴 수 없습니다. 다시 참가하려면 새로 신청해야 합니다.",
    cancel_pending_text: "취소하면 되돌릴 수 없습니다. 다시 참가하려면 새로 신청해야 합니다.",
    leave_heading: "대기자 명단에서 나갈까요?",
    leave_text: "나가면 대기 순번을 잃으며 되돌릴 수 없습니다.",
    confirm_cancel: "네, 취소합니다",
    confirm_leave: "네, 대기자 명단에서 나갑니다",
    keep: "아니요, 돌아가기",

    not_found_title: "페이지를 찾을 수 없습니다",
    not_found_text: "주소를 다시 확인해 주세요. 행사가 아직 공개되지 않았을 수도 있습니다.",
    registration_not_found_text: "이 링크에 해당하는 신청이 없습니다. 확인 메일의 링크를 빠짐없이 복사했는지 확인해 주세요.",
    expired_title: "양식이 만료되었습니다",
    expired_text: "보안을 위해 양식을 다시 불러온 뒤 제출해 주세요. 브라우저에서 쿠키가 허용되어 있어야 합니다.",
    reload_form: "양식 다시 불러오기",
    too_many_title: "요청이 너무 많습니다",
    bad_request_title: "잘못된 요청입니다",
    bad_request_text: "양식을 다시 불러온 뒤 제출해 주세요.",
    server_error_title: "문제가 생겼습니다",

    consent_legend: "네트워킹 테이블",
    consent_help: "체크하면 네트워킹 시간에 테이블이 배정되고, 같은 테이블 분들에게 이름과 소속이 보입니다. 체크하지 않으면 테이블에 배정되지 않으며, 다른 순서에는 그대로 참여하실 수 있습니다. 테이블이 발표되기 전까지 신청 관리 페이지에서 바꿀 수 있습니다.",
    fe_graduation_before: "졸업 연도는 입학 연도보다 앞설 수 없습니다.",
    fe_tables_published: "네트워킹 테이블이 이미 발표되어 여기서는 바꿀 수 없습니다. 바꾸려면 운영진에게 연락해 주세요.",
    resubmit_notice: "보안 확인 시간이 지나 신청이 아직 접수되지 않았습니다. 입력하신 내용은 그대로 있으니 한 번 더 제출해 주세요.",
    resave_notice: "보안 확인 시간이 지나 바꾼 내용이 아직 저장되지 않았습니다. 입력하신 내용은 그대로 있으니 한 번 더 저장해 주세요.",
    home_description: "1&N 개발 동아리 졸업생과 재학생이 다시 만나는 홈커밍 행사 안내입니다.",
    upcoming_heading: "다가오는 행사",
    recent_heading: "지난 행사",
    no_upcoming: "예정된 행사가 아직 없습니다.",
    ended_notice: "이 행사는 끝났습니다. 함께해 주셔서 감사합니다.",
    survey_mailed_notice: "참가하신 분들께 짧은 설문 링크를 메일로 보내 드렸습니다. 메일의 링크로 의견을 들려주세요.",
    cancelled_label: "취소됨",
    directions_heading: "오시는 길",
    link_sent_title: "메일을 확인해 주세요",
    sent_to_label: "메일 받는 주소",
    google_calendar_link: "Google 캘린더에 추가하기",
    sign_out_heading: "다른 링크 로그아웃",
    sign_out_text: "이 페이지의 링크를 다른 사람에게 보냈거나 메일이 남의 손에 들어갔다면, 지금까지 보낸 링크를 모두 막을 수 있습니다. 이 페이지는 새 주소로 열리고, 새 링크를 메일로도 보내 드립니다.",
    sign_out_button: "다른 링크 모두 로그아웃",
    signed_out_notice: "이전 링크를 모두 막았습니다. 이 페이지의 새 주소를 메일로도 보내 드렸습니다.",
    plan_rounds_label: "라운드",
    plan_views_label: "보기",
    plan_previous: "‹ 이전 라운드",
    plan_next: "다음 라운드 ›",
    plan_tables_view: "테이블 배치",
    plan_index_view: "이름으로 찾기",
    plan_cards_view: "테이블 카드 (인쇄용)",
    plan_index_heading: "이름으로 찾기 (가나다순)",
    plan_cards_heading: "테이블 카드",
    plan_not_found_text: "이 주소의 테이블 배치가 없습니다. 운영진에게 지금 쓰는 링크를 받아 주세요.",
    plan_no_such_view_text: "이 테이블 배치에는 그런 라운드나 보기가 없습니다.",
};

pub static EN: Strings = Strings {
    site_name: "1&N Homecoming",
    skip_to_content: "Skip to content",
    other_language_name: "한국어",
    switch_language_label: "Language",
    footer: "The 1&N developer club's alumni homecoming",
    required: "required",
    optional: "optional",
    error_prefix: "Error: ",

    when_heading: "When",
    where_heading: "Where",
    map_link: "Open in a map",
    about_heading: "About",
    schedule_heading: "Schedule",
    speakers_heading: "Speakers",
    no_schedule: "The schedule will be announced soon.",
    registration_heading: "Registration",
    register_button: "Register",
    join_waitlist_button: "Join the waitlist",
    full_notice: "The event is full. Join the waitlist: seats that free up go to the waitlist in order.",
    approval_notice: "Registrations are confirmed once the organizers approve them.",
    not_open_notice: "Registration is not open yet.",
    closed_notice: "Registration is closed.",
    cancelled_notice: "This event has been cancelled.",
    speakers_label: "Speakers",
    room_label: "Room",
    kind_talk: "Talk",
    kind_lightning: "Lightning talk",
    kind_panel: "Panel",
    kind_networking: "Networking",
    kind_break: "Break",
    back_to_event: "Back to the event",

    register_title: "Register",
    required_intro: "Fields marked * are required.",
    error_summary_heading: "Please check your answers",
    about_you_heading: "About you",
    name: "Name",
    email: "Email",
    email_hint: "We send your confirmation and your personal link to this address.",
    email_fixed_hint: "The email cannot be changed.",
    role: "I am a",
    role_student: "Student",
    role_alumni: "Alumnus or alumna",
    role_guest: "Guest",
    admission_year: "Year of admission (학번)",
    admission_year_hint: "e.g. 14 or 2014",
    graduation_year: "Graduation year",
    graduation_year_hint: "If you graduated, e.g. 20 or 2020",
    affiliation: "Affiliation (company or school)",
    job_title: "Job title",
    networking_heading: "Networking",
    interests: "Interests",
    interests_other: "Other interests",
    goals: "Networking goals",
    goal_find_mentor: "Find a mentor",
    goal_mentor: "Offer mentoring",
    goal_hiring: "Hiring",
    goal_job_seeking: "Looking for a job",
    goal_meet_people: "Just meet people",
    speakers_wanted: "Speakers you would like to talk to",
    consent: "Join the networking tables; your name and affiliation are shown to your tablemates",
    language: "Language for emails",
    language_ko: "한국어 (Korean)",
    language_en: "English",
    questions_heading: "A few more questions",
    honeypot: "Leave this field empty",
    submit: "Register",

    fe_required: "Please fill this in.",
    fe_single_line: "Please use a single line.",
    fe_control: "Please remove control characters.",
    fe_email: "Please enter an email address such as name@example.com.",
    fe_role: "Please choose one.",
    fe_choose: "Please choose among the options.",
    fe_single_answer: "Please give a single answer.",
    fe_answer_required: "Please answer this question.",
    fe_not_topic: "This is not a topic of this event.",
    fe_not_speaker: "This is not a speaker of this event.",
    fe_email_fixed: "The email cannot be changed; cancel and register again.",
    fe_invalid: "Please check this field.",

    err_already_registered: "This email is already registered for the event, so nothing was changed. We have emailed that address the link to see or change the registration. A link you received a few minutes ago works too.",
    err_not_active: "This registration can no longer be changed.",
    err_generic: "Something went wrong. Please try again in a moment.",

    confirmed_heading: "You are registered",
    confirmed_text: "Your seat is confirmed. At the door, show the check-in code (QR code) from your personal page.",
    waitlisted_heading: "You are on the waitlist",
    pending_heading: "Waiting for approval",
    pending_text: "The organizers will review your registration and email you the result.",
    manage_link_text: "Use this link to see your registration, change your answers or cancel. We also email it to you. Do not share it.",

    manage_title: "My registration",
    status_label: "Status",
    status_confirmed: "Confirmed",
    status_waitlisted: "On the waitlist",
    status_pending: "Waiting for approval",
    status_rejected: "Not approved",
    status_cancelled: "Cancelled",
    checkin_heading: "Check-in code",
    checkin_text: "Show this code or the QR code at the door.",
    edit_heading: "Change your answers",
    save: "Save changes",
    saved_notice: "Your changes are saved.",
    cancelled_done: "Your registration is cancelled.",
    calendar_link: "Add to my calendar (.ics)",
    cancel_link: "Cancel my registration",
    leave_waitlist_link: "Leave the waitlist",
    inactive_text: "This registration is no longer active. To come after all, register again.",
    tables_heading: "Your networking tables",

    cancel_heading: "Cancel your registration?",
    cancel_text: "Your seat goes to the next person on the waitlist, and this cannot be undone. To come after all, you would register again.",
    cancel_pending_text: "This cannot be undone. To come after all, you would register again.",
    leave_heading: "Leave the waitlist?",
    leave_text: "You lose your place on the waitlist, and this cannot be undone.",
    confirm_cancel: "Yes, cancel it",
    confirm_leave: "Yes, leave the waitlist",
    keep: "No, go back",

    not_found_title: "Page not found",
    not_found_text: "Please check the address. The event may not be public yet.",
    registration_not_found_text: "No registration belongs to this link. Please check that you copied the whole link from your confirmation email.",
    expired_title: "This form has expired",
    expired_text: "For your security, reload the form and send it again. Your browser must accept cookies from this site.",
    reload_form: "Reload the form",
    too_many_title: "Too many requests",
    bad_request_title: "Bad request",
    bad_request_text: "Please reload the form and send it again.",
    server_error_title: "Something went wrong",

    consent_legend: "Networking tables",
    consent_help: "If you tick this, you get a seat at the networking tables and your tablemates see your name and affiliation. If you do not, you are not seated at a table; the rest of the event is the same. You can change this on your manage page until the tables are published.",
    fe_graduation_before: "Graduation cannot be before admission.",
    fe_tables_published: "The networking tables are already published, so this cannot be changed here any more; please ask the organizers.",
    resubmit_notice: "The form's security check timed out, so you are not registered yet. Everything you typed is still here: please submit it once more.",
    resave_notice: "The form's security check timed out, so your changes are not saved yet. Everything you typed is still here: please save once more.",
    home_description: "The 1&N developer club's alumni homecoming: where graduates and students meet again.",
    upcoming_heading: "Upcoming events",
    recent_heading: "Recent events",
    no_upcoming: "No events are planned yet.",
    ended_notice: "This event has ended. Thank you for coming.",
    survey_mailed_notice: "Everyone who came has been mailed a link to a short survey: please tell us what you thought through the link in that mail.",
    cancelled_label: "Cancelled",
    directions_heading: "Getting there",
    link_sent_title: "Check your email",
    sent_to_label: "We sent this to",
    google_calendar_link: "Add to Google Calendar",
    sign_out_heading: "Sign out other links",
    sign_out_text: "If you forwarded this page's link or someone else may have your email, you can retire every link sent so far. This page continues at a new address, which we also email to you.",
    sign_out_button: "Sign out other links",
    signed_out_notice: "Every earlier link is retired. We have emailed you this page's new address.",
    plan_rounds_label: "Rounds",
    plan_views_label: "Views",
    plan_previous: "‹ Previous round",
    plan_next: "Next round ›",
    plan_tables_view: "Tables",
    plan_index_view: "Find your name",
    plan_cards_view: "Table cards (to print)",
    plan_index_heading: "Find your name (A–Z)",
    plan_cards_heading: "Table cards",
    plan_not_found_text: "There is no table plan at this address. Please ask the organizers for the current link.",
    plan_no_such_view_text: "This table plan has no such round or view.",
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_picks_the_preferred_supported_language() {
        let pick = |header| from_accept_language(header);
        assert_eq!(pick("en-US,en;q=0.9,ko;q=0.8"), Some(Language::En));
        assert_eq!(pick("ko-KR,ko;q=0.9,en-US;q=0.8"), Some(Language::Ko));
        assert_eq!(pick("fr-FR, en;q=0.5"), Some(Language::En));
        assert_eq!(pick("ko;q=0.4, en;q=0.7"), Some(Language::En));
        assert_eq!(pick("en;q=0, ko"), Some(Language::Ko));
        assert_eq!(pick("de, fr"), None);
        assert_eq!(pick(""), None);
        assert_eq!(
            pick("en, ko"),
            Some(Language::En),
            "a tie goes to the first"
        );
    }
}
