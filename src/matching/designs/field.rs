//! The finite field GF(q), built at run time for the constructions that need one.

/// The finite field GF(q), q = p^m: elements are 0..q, read as polynomials over GF(p) (base-p
/// digits, lowest first) modulo an irreducible polynomial of degree m found by search.
pub(crate) struct Field {
    pub q: usize,
    add: Vec<usize>,
    mul: Vec<usize>,
}

impl Field {
    pub(crate) fn new(q: usize) -> Option<Field> {
        let (p, m) = prime_power(q)?;
        let modulus = irreducible(p, m);
        let digits = |mut x: usize| -> Vec<usize> {
            (0..m)
                .map(|_| {
                    let d = x % p;
                    x /= p;
                    d
                })
                .collect()
        };
        let number = |poly: &[usize]| poly.iter().rev().fold(0, |acc, &c| acc * p + c);
        let mut add = vec![0; q * q];
        let mut mul = vec![0; q * q];
        for a in 0..q {
            for b in 0..q {
                let (da, db) = (digits(a), digits(b));
                let sum: Vec<usize> = da.iter().zip(&db).map(|(x, y)| (x + y) % p).collect();
                add[a * q + b] = number(&sum);
                let mut product = vec![0; 2 * m];
                for (i, x) in da.iter().enumerate() {
                    for (j, y) in db.iter().enumerate() {
                        product[i + j] = (product[i + j] + x * y) % p;
                    }
                }
                mul[a * q + b] = number(&remainder(&product, &modulus, p)[..m]);
            }
        }
        Some(Field { q, add, mul })
    }

    pub(crate) fn add(&self, a: usize, b: usize) -> usize {
        self.add[a * self.q + b]
    }

    pub(crate) fn mul(&self, a: usize, b: usize) -> usize {
        self.mul[a * self.q + b]
    }

    /// `−a`.
    pub(crate) fn neg(&self, a: usize) -> usize {
        (0..self.q)
            .find(|&b| self.add(a, b) == 0)
            .expect("every element has a negative")
    }

    /// A generator of the multiplicative group: the first element of order q − 1.
    pub(crate) fn primitive(&self) -> usize {
        (1..self.q)
            .find(|&x| {
                let mut power = x;
                let mut order = 1;
                while power != 1 {
                    power = self.mul(power, x);
                    order += 1;
                }
                order == self.q - 1
            })
            .expect("the multiplicative group of a finite field is cyclic")
    }

    /// `x^e`.
    pub(crate) fn pow(&self, x: usize, e: usize) -> usize {
        (0..e).fold(1, |acc, _| self.mul(acc, x))
    }

    pub(crate) fn coordinates(&self, mut point: usize, d: u32) -> Vec<usize> {
        (0..d)
            .map(|_| {
                let c = point % self.q;
                point /= self.q;
                c
            })
            .collect()
    }

    pub(crate) fn index(&self, coordinates: &[usize]) -> usize {
        coordinates.iter().rev().fold(0, |acc, &c| acc * self.q + c)
    }

    /// One vector per direction of GF(q)^d: the nonzero vectors whose last nonzero coordinate
    /// is 1; there are (q^d − 1)/(q − 1).
    pub(crate) fn directions(&self, d: u32) -> Vec<Vec<usize>> {
        (1..self.q.pow(d))
            .map(|v| self.coordinates(v, d))
            .filter(|v| v.iter().rev().find(|&&c| c != 0) == Some(&1))
            .collect()
    }
}

/// `(p, m)` with `p` prime and `p^m = q`.
pub(crate) fn prime_power(q: usize) -> Option<(usize, usize)> {
    if q < 2 {
        return None;
    }
    let p = (2..=q).find(|&p| q.is_multiple_of(p))?;
    let (mut rest, mut m) = (q, 0);
    while rest % p == 0 {
        rest /= p;
        m += 1;
    }
    (rest == 1).then_some((p, m))
}

/// The smallest monic irreducible polynomial of degree `m` over GF(p), coefficients lowest
/// first (length m + 1).
fn irreducible(p: usize, m: usize) -> Vec<usize> {
    let monic = |degree: usize, x: usize| -> Vec<usize> {
        let mut poly: Vec<usize> = (0..degree).map(|i| x / p.pow(i as u32) % p).collect();
        poly.push(1);
        poly
    };
    (0..p.pow(m as u32))
        .map(|x| monic(m, x))
        .find(|f| {
            (1..=m / 2).all(|degree| {
                (0..p.pow(degree as u32))
                    .all(|x| remainder(f, &monic(degree, x), p).iter().any(|&c| c != 0))
            })
        })
        .expect("an irreducible polynomial of every degree exists")
}

/// `f mod g` over GF(p) for a monic `g`, padded to `f`'s length.
fn remainder(f: &[usize], g: &[usize], p: usize) -> Vec<usize> {
    let mut r = f.to_vec();
    let dg = g.len() - 1;
    for i in (dg..r.len()).rev() {
        let c = r[i];
        if c != 0 {
            for (j, &gj) in g.iter().enumerate() {
                let k = i - dg + j;
                r[k] = (r[k] + (p - c) * gj) % p;
            }
        }
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_satisfy_the_field_laws() {
        for q in [2, 3, 4, 5, 7, 8, 9, 16, 25, 27] {
            let f = Field::new(q).unwrap();
            let w = f.primitive();
            let powers: std::collections::HashSet<usize> =
                (0..q - 1).map(|e| f.pow(w, e)).collect();
            assert_eq!(powers.len(), q - 1, "{w} generates GF({q})*");
            for a in 0..q {
                assert_eq!(f.add(a, 0), a);
                assert_eq!(f.mul(a, 1), a);
                assert_eq!(f.add(a, f.neg(a)), 0);
                if a != 0 {
                    assert!(
                        (1..q).any(|b| f.mul(a, b) == 1),
                        "{a} has an inverse in GF({q})"
                    );
                }
                for b in 0..q {
                    for c in 0..q {
                        assert_eq!(f.mul(a, f.add(b, c)), f.add(f.mul(a, b), f.mul(a, c)));
                    }
                }
            }
        }
        assert!(Field::new(6).is_none());
        assert!(Field::new(10).is_none());
    }
}
