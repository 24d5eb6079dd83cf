//! French typography: narrow no-break spaces where French puts a space before
//! punctuation.

/// French spacing: narrow no-break spaces before `; : ! ?` and inside « ».
pub fn french_typography(text: &str) -> String {
    const NNBSP: char = '\u{202f}';
    let needs_work = text.contains('«')
        || text.contains('»')
        || text
            .as_bytes()
            .windows(2)
            .any(|w| (w[0] == b' ' || w[0] == 0xa0) && matches!(w[1], b';' | b':' | b'!' | b'?'))
        || text.contains("\u{a0};")
        || text.contains("\u{a0}:")
        || text.contains("\u{a0}!")
        || text.contains("\u{a0}?");
    if !needs_work {
        return text.to_string();
    }
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 8);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        let prev = if i > 0 { Some(chars[i - 1]) } else { None };
        match c {
            ' ' | '\u{a0}'
                if prev.is_some_and(|p| !p.is_whitespace())
                    && (next == Some('»')
                        || (matches!(next, Some(';' | ':' | '!' | '?'))
                            && chars.get(i + 2).is_none_or(|c| !c.is_alphanumeric()))) =>
            {
                out.push(NNBSP);
            }
            ' ' | '\u{a0}' if prev == Some('«') => out.push(NNBSP),
            _ => out.push(c),
        }
        i += 1;
    }
    out
}
