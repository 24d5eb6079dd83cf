//! Numbers and durations as each language writes them (`2 h 30` in French), from
//! the format strings of the language's UI file (`format.clock`, …), with the
//! English and French forms as defaults.

/// True for French and its regional variants.
pub fn is_french(lang: &str) -> bool {
    lang == "fr" || lang.starts_with("fr-")
}

/// How a language writes lengths of time, clock times and decimals. Patterns
/// take `{h}`, `{m}` (minutes) and `{mm}` (minutes on two digits); their spaces
/// are printed as no-break spaces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Formats {
    /// Minutes alone: `{m} min`.
    pub minutes: String,
    /// Whole hours: `{h} h`.
    pub hours: String,
    /// Hours and minutes: `{h} h {m} min` (English), `{h} h {mm}` (French).
    pub hours_minutes: String,
    /// A time on a running clock: `{h}:{mm}`, `{h} h {mm}`.
    pub clock: String,
    /// The decimal separator: `.` or `,`.
    pub decimal: String,
}

impl Formats {
    /// The built-in forms of `lang`: French for French, English for the others.
    pub fn default_for(lang: &str) -> Self {
        let french = is_french(lang);
        Formats {
            minutes: "{m} min".into(),
            hours: "{h} h".into(),
            hours_minutes: if french {
                "{h} h {mm}"
            } else {
                "{h} h {m} min"
            }
            .into(),
            clock: if french { "{h} h {mm}" } else { "{h}:{mm}" }.into(),
            decimal: if french { "," } else { "." }.into(),
        }
    }

    /// The forms of `lang` from its UI strings (`format.minutes`, `format.hours`,
    /// `format.hours_minutes`, `format.clock`, `format.decimal`), the built-in ones
    /// for any that is missing.
    pub fn from_strings(lang: &str, get: impl Fn(&str) -> Option<String>) -> Self {
        let d = Formats::default_for(lang);
        let pick =
            |key: &str, default: String| get(key).filter(|v| !v.is_empty()).unwrap_or(default);
        Formats {
            minutes: pick("format.minutes", d.minutes),
            hours: pick("format.hours", d.hours),
            hours_minutes: pick("format.hours_minutes", d.hours_minutes),
            clock: pick("format.clock", d.clock),
            decimal: pick("format.decimal", d.decimal),
        }
    }

    fn fill(pattern: &str, h: u32, m: u32) -> String {
        pattern
            .replace("{h}", &h.to_string())
            .replace("{mm}", &format!("{m:02}"))
            .replace("{m}", &m.to_string())
            .replace(' ', "\u{a0}")
    }

    /// A length of time: `2 h 30 min`, `2 h 30`, `45 min`.
    pub fn duration(&self, minutes: u32) -> String {
        let (h, m) = (minutes / 60, minutes % 60);
        match (h, m) {
            (0, m) => Self::fill(&self.minutes, 0, m),
            (h, 0) => Self::fill(&self.hours, h, 0),
            (h, m) => Self::fill(&self.hours_minutes, h, m),
        }
    }

    /// A time on a running clock from the start of a session: `1:15`, `1 h 15`.
    pub fn clock(&self, minutes: u32) -> String {
        Self::fill(&self.clock, minutes / 60, minutes % 60)
    }

    /// A number with the language's decimal separator, two decimals at most: `7.5`.
    pub fn number(&self, value: f64) -> String {
        // A value that rounds to a whole number (0.999) has no decimals.
        let rounded = format!("{value:.2}");
        let mut s = rounded
            .trim_end_matches('0')
            .trim_end_matches('.')
            .to_string();
        if s == "-0" {
            s = "0".to_string();
        }
        s.replace('.', &self.decimal)
    }

    /// Hours: `8 h`, `7,5 h`.
    pub fn hours(&self, value: f64) -> String {
        self.hours
            .replace("{h}", &self.number(value))
            .replace(' ', "\u{a0}")
    }
}

/// A length of time in the built-in forms of `lang`.
pub fn duration(minutes: u32, lang: &str) -> String {
    Formats::default_for(lang).duration(minutes)
}

/// A clock time in the built-in forms of `lang`.
pub fn clock(minutes: u32, lang: &str) -> String {
    Formats::default_for(lang).clock(minutes)
}

/// A number in the built-in forms of `lang`.
pub fn number(value: f64, lang: &str) -> String {
    Formats::default_for(lang).number(value)
}

/// Hours in the built-in forms of `lang`.
pub fn hours(value: f64, lang: &str) -> String {
    Formats::default_for(lang).hours(value)
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
    fn a_language_s_own_format_strings_are_used() {
        let ar = Formats::from_strings("ar", |k| match k {
            "format.minutes" => Some("{m} د".into()),
            "format.hours_minutes" => Some("{h} س {m} د".into()),
            _ => None,
        });
        assert_eq!(ar.duration(45), "45\u{a0}د");
        assert_eq!(ar.duration(150), "2\u{a0}س\u{a0}30\u{a0}د");
        assert_eq!(
            ar.duration(120),
            "2\u{a0}h",
            "a missing pattern is the built-in one"
        );
        assert_eq!(ar.clock(75), "1:15");
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
