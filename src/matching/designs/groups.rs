//! Finite abelian groups `Z_{a_1} × … × Z_{a_j}`, with elements numbered `0..order` in the
//! mixed radix of the factors. Both the difference arrays and the rounds fixed by a group
//! range over them.

use super::field::prime_power;

/// An abelian group given by its cyclic factors, each a prime power.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Abelian {
    factors: Vec<usize>,
}

impl Abelian {
    pub(crate) fn order(&self) -> usize {
        self.factors.iter().product()
    }

    /// `x + y`, digit by digit.
    pub(crate) fn add(&self, x: usize, y: usize) -> usize {
        self.digitwise(x, y, |a, b, f| (a + b) % f)
    }

    /// `x − y`, digit by digit.
    pub(crate) fn sub(&self, x: usize, y: usize) -> usize {
        self.digitwise(x, y, |a, b, f| (a + f - b) % f)
    }

    fn digitwise(&self, x: usize, y: usize, op: impl Fn(usize, usize, usize) -> usize) -> usize {
        digitwise(&self.factors, x, y, |k, a, b| op(a, b, self.factors[k]))
    }

    pub(crate) fn is_cyclic(&self) -> bool {
        let primes: Vec<usize> = self
            .factors
            .iter()
            .filter_map(|&f| prime_power(f).map(|(p, _)| p))
            .collect();
        (1..primes.len()).all(|i| !primes[..i].contains(&primes[i]))
    }

    /// Whether the group has a complete mapping, and so a difference array of three rows or
    /// more with all its columns: by the Hall–Paige theorem (proved by Wilcox, Evans and
    /// Bray), exactly when its Sylow 2-subgroup is trivial or not cyclic. For an abelian group
    /// that is: no factor, or more than one, is a power of two.
    pub(crate) fn has_complete_mapping(&self) -> bool {
        self.factors.iter().filter(|&&f| f % 2 == 0).count() != 1
    }
}

/// `op` applied digit by digit to `x` and `y` written in the mixed radix `radices`: `op(k, a,
/// b)` gets digit `k` of each.
pub(crate) fn digitwise(
    radices: &[usize],
    mut x: usize,
    mut y: usize,
    op: impl Fn(usize, usize, usize) -> usize,
) -> usize {
    let (mut result, mut place) = (0, 1);
    for (k, &radix) in radices.iter().enumerate() {
        result += op(k, x % radix, y % radix) * place;
        place *= radix;
        x /= radix;
        y /= radix;
    }
    result
}

/// Every abelian group of order `order`, each once, the cyclic one first.
pub(crate) fn abelian_groups(order: usize) -> Vec<Abelian> {
    // Prime-power factors in non-increasing order name each group once (Z_6 is Z_3 × Z_2).
    let mut groups: Vec<Abelian> = factorizations(order, order)
        .into_iter()
        .filter(|factors| factors.iter().all(|&f| prime_power(f).is_some()))
        .map(|factors| Abelian { factors })
        .collect();
    groups.sort_by_key(|group| !group.is_cyclic());
    groups
}

/// Every way to write `size` as a product of factors ≥ 2, each at most `largest`, in
/// non-increasing order.
fn factorizations(size: usize, largest: usize) -> Vec<Vec<usize>> {
    if size == 1 {
        return vec![Vec::new()];
    }
    (2..=largest.min(size))
        .rev()
        .filter(|f| size.is_multiple_of(*f))
        .flat_map(|f| {
            factorizations(size / f, f)
                .into_iter()
                .map(move |mut rest| {
                    rest.insert(0, f);
                    rest
                })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_abelian_group_is_named_once() {
        let count = |order| abelian_groups(order).len();
        // Z_12 and Z_2 × Z_6; Z_8, Z_4 × Z_2 and Z_2^3; Z_16 … Z_2^4 (five); one of prime order.
        assert_eq!(count(12), 2);
        assert_eq!(count(8), 3);
        assert_eq!(count(16), 5);
        assert_eq!(count(7), 1);
        assert!(abelian_groups(12)[0].is_cyclic());
        assert!(!abelian_groups(12)[1].is_cyclic());
    }

    #[test]
    fn addition_and_subtraction_are_inverse_group_laws() {
        for group in abelian_groups(12).into_iter().chain(abelian_groups(8)) {
            let n = group.order();
            for x in 0..n {
                assert_eq!(group.add(x, 0), x);
                for y in 0..n {
                    assert_eq!(group.add(x, y), group.add(y, x));
                    assert_eq!(group.add(group.sub(x, y), y), x);
                }
            }
        }
    }

    #[test]
    fn complete_mappings_need_a_sylow_two_subgroup_that_is_trivial_or_not_cyclic() {
        let complete: Vec<bool> = abelian_groups(12)
            .iter()
            .map(Abelian::has_complete_mapping)
            .collect();
        assert_eq!(complete, vec![false, true]);
        assert!(abelian_groups(15)[0].has_complete_mapping());
    }
}
