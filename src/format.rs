//! Numbers and durations as each language writes them (`2 h 30` in French).

/// True for French and its regional variants.
pub fn is_french(lang: &str) -> bool {
    lang == "fr" || lang.starts_with("fr-")
}

/// A length of time: `2 h 30 min` (English), `2 h 30` (French), `45 min`.
pub fn duration(minutes: u32, lang: &str) -> String {
    let (h, m) = (minutes / 60, minutes % 60);
    match (h, m, is_french(lang)) {
        (0, m, _) => format!("{m}\u{a0}min"),
        (h, 0, _) => format!("{h}\u{a0}h"),
        (h, m, true) => format!("{h}\u{a0}h\u{a0}{m:02}"),
        (h, m, false) => format!("{h}\u{a0}h\u{a0}{m}\u{a0}min"),
    }
}

/// A time on a running clock from the start of a session: `1:15` or `1 h 15`.
pub fn clock(minutes: u32, lang: &str) -> String {
    let (h, m) = (minutes / 60, minutes % 60);
    if is_french(lang) {
        format!("{h}\u{a0}h\u{a0}{m:02}")
    } else {
        format!("{h}:{m:02}")
    }
}

/// A number with the language's decimal separator: `7.5` or `7,5`.
pub fn number(value: f64, lang: &str) -> String {
    // Two decimals at most; a value that rounds to a whole number (0.999) has none.
    let rounded = format!("{value:.2}");
    let mut s = rounded
        .trim_end_matches('0')
        .trim_end_matches('.')
        .to_string();
    if s == "-0" {
        s = "0".to_string();
    }
    if is_french(lang) {
        s = s.replace('.', ",");
    }
    s
}

/// Hours: `8 h` or `7,5 h`.
pub fn hours(value: f64, lang: &str) -> String {
    format!("{}\u{a0}h", number(value, lang))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_follow_the_language() {
        assert_eq!(duration(150, "fr"), "2\u{a0}h\u{a0}30");
        assert_eq!(duration(150, "en"), "2\u{a0}h\u{a0}30\u{a0}min");
        assert_eq!(duration(45, "fr"), "45\u{a0}min");
        assert_eq!(duration(120, "en"), "2\u{a0}h");
        assert_eq!(clock(75, "en"), "1:15");
        assert_eq!(clock(65, "fr"), "1\u{a0}h\u{a0}05");
        assert_eq!(hours(7.5, "fr"), "7,5\u{a0}h");
        assert_eq!(hours(108.0, "en"), "108\u{a0}h");
    }

    #[test]
    fn numbers_round_to_two_decimals_without_a_trailing_separator() {
        assert_eq!(number(0.999, "en"), "1");
        assert_eq!(number(0.999, "fr"), "1");
        assert_eq!(number(7.25, "fr"), "7,25");
        assert_eq!(number(7.5, "en"), "7.5");
        assert_eq!(number(7.0, "en"), "7");
        assert_eq!(number(10.0, "en"), "10");
        assert_eq!(number(100.0, "fr"), "100");
        assert_eq!(number(-0.001, "en"), "0");
    }
}
