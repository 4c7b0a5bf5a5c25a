//! Ids and a small deterministic random number generator (no `rand` dependency).

/// SplitMix64: fast, deterministic, good enough for plausible fake data.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator seeded with `seed`.
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`0` when `n` is `0`).
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next_u64() % n }
    }

    /// One element of `items` (`None` when empty).
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        let len = u64::try_from(items.len()).unwrap_or(u64::MAX);
        items.get(usize::try_from(self.below(len)).unwrap_or(0))
    }

    /// `true` with probability `percent`/100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

/// Hands out ids such as `ct_5f3c9d2e8a7b`: a prefix and 12 hex digits derived
/// from a counter, so they look random but never collide.
#[derive(Debug, Clone)]
pub struct IdGen {
    counter: u64,
    salt: u64,
}

impl IdGen {
    /// A generator; ids depend on `salt`.
    pub fn new(salt: u64) -> Self {
        IdGen { counter: 0, salt }
    }

    /// The next id with `prefix` (e.g. `"ct_"`).
    pub fn next(&mut self, prefix: &str) -> String {
        self.counter += 1;
        // A bijection on 48 bits (odd multiplier, xor-shift), so distinct counters
        // give distinct ids.
        let mask = (1u64 << 48) - 1;
        let mut x = (self.counter ^ self.salt) & mask;
        x = x.wrapping_mul(0x9E37_79B9_7F4B) & mask;
        x ^= x >> 23;
        x = x.wrapping_mul(0x0005_DEEC_E66D) & mask;
        x ^= x >> 19;
        format!("{prefix}{x:012x}")
    }
}

/// A short stable hex digest of `text` (FNV-1a), e.g. for a key's public `key_id`.
pub fn short_hash(text: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{:08x}", h >> 32)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::IdGen;

    #[test]
    fn ids_are_unique_and_prefixed() {
        let mut ids = IdGen::new(7);
        let all: BTreeSet<String> = (0..10_000).map(|_| ids.next("ct_")).collect();
        assert_eq!(all.len(), 10_000);
        assert!(all.iter().all(|id| id.starts_with("ct_") && id.len() == 15));
    }
}
