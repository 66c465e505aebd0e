//! The door's words, in Korean and English; a text missing in one language is a compile
//! error.

use crate::registration::{Language, RegistrationStatus};

pub struct DoorWords {
    pub title: &'static str,
    pub choose_event: &'static str,
    pub no_events: &'static str,
    /// "체크인 37 / 확정 120".
    pub checked_in_label: &'static str,
    pub confirmed_label: &'static str,
    pub scanner: &'static str,
    pub scanner_hint: &'static str,
    pub camera_start: &'static str,
    pub camera_denied: &'static str,
    pub checking: &'static str,
    pub send_failed: &'static str,
    pub code: &'static str,
    pub code_hint: &'static str,
    pub code_missing: &'static str,
    pub code_malformed: &'static str,
    pub check_in: &'static str,
    pub search: &'static str,
    pub search_label: &'static str,
    pub search_button: &'static str,
    pub nobody_found: &'static str,
    pub more_found: &'static str,
    pub checked_in: &'static str,
    pub already_at: fn(&str) -> String,
    pub came_in_at: fn(&str) -> String,
    pub ready: &'static str,
    pub ready_detail: &'static str,
    pub undone: &'static str,
    pub undo: &'static str,
    pub nothing_to_undo: &'static str,
    pub next: &'static str,
    pub not_registered: &'static str,
    pub unknown_code: fn(&str) -> String,
    pub event_not_found: &'static str,
    cancelled: (&'static str, &'static str),
    waitlisted: (&'static str, &'static str),
    pending: (&'static str, &'static str),
    rejected: (&'static str, &'static str),
}

impl DoorWords {
    /// Why a registration of this status may not come in (a headline and the reason); none
    /// for a confirmed one, which may.
    pub fn refusal(&self, status: RegistrationStatus) -> Option<(&'static str, &'static str)> {
        match status {
            RegistrationStatus::Confirmed => None,
            RegistrationStatus::Cancelled => Some(self.cancelled),
            RegistrationStatus::Waitlisted => Some(self.waitlisted),
            RegistrationStatus::Pending => Some(self.pending),
            RegistrationStatus::Rejected => Some(self.rejected),
        }
    }
}

pub fn door_words(lang: Language) -> &'static DoorWords {
    match lang {
        Language::Ko => &KO,
        Language::En => &EN,
    }
}

const KO: DoorWords = DoorWords {
    title: "체크인",
    choose_event: "체크인할 행사를 고르세요.",
    no_events: "공개된 행사가 아직 없습니다.",
    checked_in_label: "체크인",
    confirmed_label: "확정",
    scanner: "QR 스캔",
    scanner_hint: "참가자의 QR 코드를 화면 가운데에 비추세요.",
    camera_start: "카메라 켜기",
    camera_denied: "카메라를 쓸 수 없습니다. 브라우저의 카메라 권한을 확인하거나 코드를 직접 입력하세요.",
    checking: "확인하는 중…",
    send_failed: "연결이 끊겼습니다. 다시 스캔하거나 코드를 입력하세요.",
    code: "체크인 코드",
    code_hint: "예: K7P-M2X (대소문자, 하이픈은 상관없습니다)",
    code_missing: "코드를 입력하세요. 예: K7P-M2X",
    code_malformed: "코드는 영문과 숫자 6자입니다. 예: K7P-M2X",
    check_in: "체크인",
    search: "이름으로 찾기",
    search_label: "이름 또는 이메일",
    search_button: "찾기",
    nobody_found: "확정된 참가자 중에 찾는 사람이 없습니다.",
    more_found: "더 있습니다. 이름을 더 입력하세요.",
    checked_in: "체크인 완료",
    already_at: |time| format!("이미 {time}에 체크인했습니다"),
    came_in_at: |time| format!("{time} 체크인"),
    ready: "확정된 참가자",
    ready_detail: "아래 버튼을 누르면 체크인합니다.",
    undone: "체크인을 취소했습니다.",
    undo: "체크인 취소",
    nothing_to_undo: "취소할 체크인이 없습니다. 이미 취소되었거나 체크인하지 않은 사람입니다. 아무것도 바뀌지 않았습니다.",
    next: "다음 사람",
    not_registered: "등록되지 않음",
    unknown_code: |code| format!("이 행사에 {code} 코드로 등록한 사람이 없습니다."),
    event_not_found: "행사를 찾을 수 없습니다.",
    cancelled: (
        "취소된 등록",
        "이 등록은 취소되었습니다. 입장할 수 없습니다.",
    ),
    waitlisted: (
        "대기자",
        "대기 명단에 있어 자리가 확정되지 않았습니다. 입장할 수 없습니다.",
    ),
    pending: (
        "승인 대기",
        "운영진 승인을 기다리는 등록입니다. 승인 전에는 입장할 수 없습니다.",
    ),
    rejected: (
        "거절된 등록",
        "이 등록은 승인되지 않았습니다. 입장할 수 없습니다.",
    ),
};

const EN: DoorWords = DoorWords {
    title: "Check-in",
    choose_event: "Choose the event to check people in to.",
    no_events: "No event has been published yet.",
    checked_in_label: "checked in",
    confirmed_label: "confirmed",
    scanner: "Scan a QR code",
    scanner_hint: "Hold the person's QR code in the middle of the picture.",
    camera_start: "Turn the camera on",
    camera_denied: "The camera cannot be used. Check the browser's camera permission, or type the code.",
    checking: "Checking…",
    send_failed: "The connection dropped. Scan again or type the code.",
    code: "Check-in code",
    code_hint: "e.g. K7P-M2X (case and dash do not matter)",
    code_missing: "Type the code, e.g. K7P-M2X",
    code_malformed: "A code is 6 letters and digits, e.g. K7P-M2X",
    check_in: "Check in",
    search: "Find by name",
    search_label: "Name or email",
    search_button: "Find",
    nobody_found: "Nobody confirmed matches.",
    more_found: "There are more: type more of the name.",
    checked_in: "Checked in",
    already_at: |time| format!("Already checked in at {time}"),
    came_in_at: |time| format!("in at {time}"),
    ready: "Confirmed",
    ready_detail: "Press the button to check this person in.",
    undone: "The check-in was undone.",
    undo: "Undo check-in",
    nothing_to_undo: "There is no check-in to undo: it was undone already, or the person has not checked in. Nothing was changed.",
    next: "Next person",
    not_registered: "Not registered",
    unknown_code: |code| format!("Nobody is registered for this event with the code {code}."),
    event_not_found: "There is no such event.",
    cancelled: (
        "Cancelled",
        "This registration was cancelled. The person cannot come in.",
    ),
    waitlisted: (
        "Waitlisted",
        "The person is on the waitlist and has no confirmed seat. They cannot come in.",
    ),
    pending: (
        "Pending approval",
        "The registration is waiting for an organizer's approval. They cannot come in before it.",
    ),
    rejected: (
        "Rejected",
        "This registration was not approved. The person cannot come in.",
    ),
};
