//! The resolvable (3q + 1, 4, 1) designs of Beth, Jungnickel and Lenz (Design Theory,
//! chapter IX) for a prime power `q ≡ 1 (mod 4)`: points `GF(q) × Z_3` plus ∞, `q` rounds of
//! tables of 4 in which every pair meets exactly once (16 people: 5 rounds, 28: 9, 40: 13).
//!
//! With ω a primitive element and ε = ω^((q−1)/4) (so ε² = −1), the base round is
//! `{∞, (0, 0), (0, 1), (0, 2)}` and, for `i < (q − 1)/4` and each level `j`,
//! `{(±ω^i, j), (±εω^i, j + 1)}`; the rounds are its translates by the elements of GF(q).
//! On each level the pure differences are `±2ω^i` and `±2εω^i`, i.e. 2 times every nonzero
//! element once; between levels `j` and `j + 1` the mixed differences are 0 (the ∞ table)
//! and `ω^i(±ε ± 1) = (1 + ε)·ω^i·{1, ε, −1, −ε}`, every nonzero element once. So every pair
//! meets exactly once over the `q` translates.

use super::Rounds;
use super::field::{Field, prime_power};

/// The `q` rounds for `n = 3q + 1` people at tables of 4, when `q ≡ 1 (mod 4)` is a prime
/// power.
pub(crate) fn bjl(n: usize, s: usize) -> Option<Rounds> {
    if s != 4 || n < 4 || !(n - 1).is_multiple_of(3) {
        return None;
    }
    let q = (n - 1) / 3;
    if q % 4 != 1 || prime_power(q).is_none() {
        return None;
    }
    let field = Field::new(q)?;
    let omega = field.primitive();
    let epsilon = field.pow(omega, (q - 1) / 4);
    let point = |x: usize, level: usize| (level % 3) * q + x;
    let infinity = 3 * q;
    let mut base = vec![vec![infinity, point(0, 0), point(0, 1), point(0, 2)]];
    for i in 0..(q - 1) / 4 {
        let w = field.pow(omega, i);
        let ew = field.mul(epsilon, w);
        for j in 0..3 {
            base.push(vec![
                point(w, j),
                point(field.neg(w), j),
                point(ew, j + 1),
                point(field.neg(ew), j + 1),
            ]);
        }
    }
    let translate = |p: usize, t: usize| {
        if p == infinity {
            p
        } else {
            (p / q) * q + field.add(p % q, t)
        }
    };
    Some(
        (0..q)
            .map(|t| {
                base.iter()
                    .map(|table| table.iter().map(|&p| translate(p, t)).collect())
                    .collect()
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matching::designs::assert_resolvable;

    #[test]
    fn every_pair_meets_exactly_once() {
        for q in [5, 9, 13, 17, 25] {
            let n = 3 * q + 1;
            let schedule = bjl(n, 4).unwrap();
            assert_eq!(schedule.len(), q);
            assert_resolvable(&schedule, n, 4);
            // q rounds of (n / 4) tables of 6 pairs: all n(n − 1)/2 pairs.
            assert_eq!(q * n / 4 * 6, n * (n - 1) / 2);
        }
        assert!(bjl(22, 4).is_none(), "q = 7 is not 1 mod 4");
        assert!(bjl(64, 4).is_none(), "q = 21 is no prime power");
    }
}
