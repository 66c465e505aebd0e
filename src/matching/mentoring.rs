//! One-to-one mentoring: each mentee (goal `find_mentor`) gets at most one mentor (goal
//! `mentor`), each mentor at most `mentor_capacity` mentees, and the total weight is maximal
//! (Kuhn–Munkres from the `pathfinding` crate, on a matrix with one column per mentor seat).
//!
//! A pair weighs 1, plus 10 per shared interest, plus 5 when the mentee seeks a job and the
//! mentor hires, plus 2 for a student with an alumnus; so everyone gets a mentor while seats
//! last, and shared interests decide who gets whom. The assignment costs
//! O(min(m, s)² · max(m, s)) for m mentees and s mentor seats: instant for hundreds, seconds
//! for a few thousand.

use pathfinding::prelude::{Matrix, kuhn_munkres};
use serde::{Deserialize, Serialize};

use super::{Problem, Role};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MentorPair {
    /// Participant indices.
    pub mentee: usize,
    pub mentor: usize,
    pub shared_interests: Vec<String>,
    pub weight: i64,
}

/// The maximum-weight assignment of mentees to mentors, by mentee.
pub fn assign_mentors(problem: &Problem) -> Vec<MentorPair> {
    let people = problem.participants();
    let mentees: Vec<usize> = (0..people.len())
        .filter(|&i| people[i].goals.find_mentor)
        .collect();
    let seats: Vec<usize> = (0..people.len())
        .filter(|&i| people[i].goals.mentor)
        .flat_map(|i| {
            let capacity = (people[i].mentor_capacity as usize).min(mentees.len());
            std::iter::repeat_n(i, capacity)
        })
        .collect();
    if mentees.is_empty() || seats.is_empty() {
        return Vec::new();
    }
    let shared = |mentee: usize, mentor: usize| -> Vec<String> {
        people[mentee]
            .interests
            .iter()
            .filter(|i| people[mentor].interests.binary_search(i).is_ok())
            .cloned()
            .collect()
    };
    let weight = |mentee: usize, mentor: usize| -> i64 {
        if mentee == mentor {
            return 0;
        }
        let (a, b) = (&people[mentee], &people[mentor]);
        1 + 10 * shared(mentee, mentor).len() as i64
            + if a.goals.job_seeking && b.goals.hiring {
                5
            } else {
                0
            }
            + if a.role == Some(Role::Student) && b.role == Some(Role::Alumni) {
                2
            } else {
                0
            }
    };
    // Kuhn–Munkres needs no more rows than columns.
    let pairs: Vec<(usize, usize)> = if mentees.len() <= seats.len() {
        let matrix = Matrix::from_fn(mentees.len(), seats.len(), |(r, c)| {
            weight(mentees[r], seats[c])
        });
        let (_, columns) = kuhn_munkres(&matrix);
        columns
            .into_iter()
            .enumerate()
            .map(|(r, c)| (mentees[r], seats[c]))
            .collect()
    } else {
        let matrix = Matrix::from_fn(seats.len(), mentees.len(), |(r, c)| {
            weight(mentees[c], seats[r])
        });
        let (_, columns) = kuhn_munkres(&matrix);
        columns
            .into_iter()
            .enumerate()
            .map(|(r, c)| (mentees[c], seats[r]))
            .collect()
    };
    let mut result: Vec<MentorPair> = pairs
        .into_iter()
        .filter(|&(mentee, mentor)| weight(mentee, mentor) > 0)
        .map(|(mentee, mentor)| MentorPair {
            mentee,
            mentor,
            shared_interests: shared(mentee, mentor),
            weight: weight(mentee, mentor),
        })
        .collect();
    result.sort_by_key(|pair| pair.mentee);
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(json: &str) -> Problem {
        Problem::from_json(json).unwrap()
    }

    #[test]
    fn mentees_get_the_mentor_who_shares_their_interests() {
        let p = problem(
            r#"{"participants":[
                {"id":"m1","goals":["mentor"],"interests":["backend","rust"]},
                {"id":"m2","goals":["mentor"],"interests":["design"]},
                {"id":"s1","goals":["find_mentor"],"interests":["Design"]},
                {"id":"s2","goals":["find_mentor"],"interests":["rust"]}
            ],"rounds":1,"table_size":2}"#,
        );
        let pairs = assign_mentors(&p);
        let named: Vec<(usize, usize)> = pairs.iter().map(|m| (m.mentee, m.mentor)).collect();
        assert_eq!(named, vec![(2, 1), (3, 0)]);
        assert_eq!(pairs[0].shared_interests, vec!["design".to_string()]);
    }

    #[test]
    fn capacity_limits_mentees_per_mentor() {
        let p = problem(
            r#"{"participants":[
                {"id":"m1","goals":["mentor"],"interests":["rust"],"mentor_capacity":2},
                {"id":"m2","goals":["mentor"],"interests":["go"]},
                {"id":"s1","goals":["find_mentor"],"interests":["rust"]},
                {"id":"s2","goals":["find_mentor"],"interests":["rust"]},
                {"id":"s3","goals":["find_mentor"],"interests":["rust"]},
                {"id":"s4","goals":["find_mentor"],"interests":["rust"]}
            ],"rounds":1,"table_size":3}"#,
        );
        let pairs = assign_mentors(&p);
        assert_eq!(pairs.len(), 3, "three seats for four mentees");
        assert_eq!(pairs.iter().filter(|m| m.mentor == 0).count(), 2);
        assert_eq!(pairs.iter().filter(|m| m.mentor == 1).count(), 1);
        // The two rust mentees with the rust mentor weigh 11 each, the go one 1.
        assert_eq!(pairs.iter().map(|m| m.weight).sum::<i64>(), 23);
    }

    #[test]
    fn nobody_mentors_themself_and_no_goals_means_no_pairs() {
        let p = problem(
            r#"{"participants":[{"id":"a","goals":["mentor","find_mentor"]},{"id":"b"}],"rounds":1,"table_size":2}"#,
        );
        assert!(assign_mentors(&p).is_empty());
    }
}
