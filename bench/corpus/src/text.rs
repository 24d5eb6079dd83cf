//! The generator's text: a deterministic random number generator and the words,
//! sentences, list items and paragraphs it writes.

use std::fmt::Write as _;

use super::words::Words;

/// SplitMix64: small, fast and good enough for text.
#[derive(Debug, Clone)]
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64, stream: u64) -> Self {
        let mut r = Rng(seed ^ stream.wrapping_mul(0xA076_1D64_78BD_642F));
        r.next();
        r
    }

    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (n > 0).
    pub(crate) fn below(&mut self, n: usize) -> usize {
        (((self.next() >> 32) * n as u64) >> 32) as usize
    }

    /// A number in `lo..=hi`.
    pub(crate) fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    /// True with probability `percent` / 100.
    pub(crate) fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    pub(crate) fn pick<'a>(&mut self, list: &[&'a str]) -> &'a str {
        list[self.below(list.len())]
    }
}

pub(crate) fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// `n` words, the first capitalized: a title or heading.
pub(crate) fn title_words(r: &mut Rng, w: &Words, n: usize) -> String {
    capitalize(&lower_words(r, w, n))
}

/// `n` words (adjectives and nouns), lowercase.
pub(crate) fn lower_words(r: &mut Rng, w: &Words, n: usize) -> String {
    let mut s = String::new();
    for i in 0..n {
        if i > 0 {
            s.push(' ');
        }
        let list = if i + 1 == n || r.chance(50) {
            w.noun
        } else {
            w.adj
        };
        s.push_str(r.pick(list));
    }
    s
}

/// One clause: `det adj? noun adv? verb det adj? noun (prep det noun)?`.
pub(crate) fn clause(s: &mut String, r: &mut Rng, w: &Words, emphasis: bool) {
    s.push_str(r.pick(w.det));
    s.push(' ');
    if r.chance(50) {
        s.push_str(r.pick(w.adj));
        s.push(' ');
    }
    s.push_str(r.pick(w.noun));
    s.push(' ');
    if r.chance(30) {
        s.push_str(r.pick(w.adv));
        s.push(' ');
    }
    s.push_str(r.pick(w.verb));
    s.push(' ');
    s.push_str(r.pick(w.det));
    s.push(' ');
    if r.chance(50) {
        s.push_str(r.pick(w.adj));
        s.push(' ');
    }
    let noun = r.pick(w.noun);
    match (emphasis, r.below(8)) {
        (true, 0) => {
            let _ = write!(s, "*{noun}*");
        }
        (true, 1) => {
            let _ = write!(s, "**{noun}**");
        }
        (true, 2) => {
            let _ = write!(s, "`{noun}`");
        }
        _ => s.push_str(noun),
    }
    if r.chance(60) {
        s.push(' ');
        s.push_str(r.pick(w.prep));
        s.push(' ');
        s.push_str(r.pick(w.det));
        s.push(' ');
        s.push_str(r.pick(w.noun));
    }
}

/// One sentence of one or two clauses (about 13 words), with some inline markup.
pub(crate) fn sentence_text(r: &mut Rng, w: &Words) -> String {
    let mut s = String::new();
    clause(&mut s, r, w, true);
    if r.chance(45) {
        s.push_str(", ");
        s.push_str(w.and);
        s.push(' ');
        clause(&mut s, r, w, true);
    }
    s.push_str(r.pick(w.ends));
    capitalize(&s)
}

pub(crate) fn list_item(r: &mut Rng, w: &Words) -> String {
    let mut s = String::new();
    clause(&mut s, r, w, true);
    if r.chance(30) {
        format!("**{}:** {s}", title_words(r, w, 2).replace(':', ""))
    } else {
        capitalize(&s)
    }
}

pub(crate) fn paragraph(out: &mut String, r: &mut Rng, w: &Words, sentences: usize) {
    for i in 0..sentences {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(&sentence_text(r, w));
    }
    out.push('\n');
}
