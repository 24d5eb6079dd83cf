//! External links, fetched only on request (`check --external`), once per address.
//! The HTTP client and its TLS stack are the cargo feature `external-links` (in
//! the released binaries; a build from source adds `--features external-links`).

use std::collections::BTreeMap;

use crate::diagnostics::{Code, Diagnostic, SourceSpan};

/// Without the HTTP client: one error that says how to get it, rather than a
/// check that silently did nothing.
#[cfg(not(feature = "external-links"))]
pub(super) fn check_external(
    links: BTreeMap<String, Vec<(String, Option<SourceSpan>)>>,
) -> Vec<Diagnostic> {
    vec![
        Diagnostic::error(
            Code::ExternalLink,
            format!(
                "this passerelle cannot check the {} links to other sites: it was built without the `external-links` feature",
                links.len()
            ),
        )
        .hint("use a released passerelle binary, or build it with `cargo build --release --features external-links`"),
    ]
}

/// Fetch each external address once, with a timeout; report those that fail.
#[cfg(feature = "external-links")]
pub(super) fn check_external(
    links: BTreeMap<String, Vec<(String, Option<SourceSpan>)>>,
) -> Vec<Diagnostic> {
    use rayon::prelude::*;
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(std::time::Duration::from_secs(10)))
        .http_status_as_error(false)
        .build()
        .into();
    let results: Vec<(String, Option<String>)> = links
        .keys()
        .cloned()
        .collect::<Vec<_>>()
        .into_par_iter()
        .map(|url| {
            let outcome = match agent.head(&url).call() {
                Ok(r) if r.status().as_u16() < 400 => None,
                Ok(r) if r.status().as_u16() == 405 => match agent.get(&url).call() {
                    Ok(r) if r.status().as_u16() < 400 => None,
                    Ok(r) => Some(format!("it answers {}", r.status())),
                    Err(e) => Some(e.to_string()),
                },
                Ok(r) => Some(format!("it answers {}", r.status())),
                Err(e) => Some(e.to_string()),
            };
            (url, outcome)
        })
        .collect();
    let mut problems = Vec::new();
    for (url, outcome) in results {
        let Some(why) = outcome else { continue };
        for (page, span) in &links[&url] {
            let d = Diagnostic::warning(
                Code::ExternalLink,
                format!("the external link `{url}` does not work: {why}"),
            )
            .hint("check the address, or remove the link if the page is gone");
            problems.push(match span {
                Some(s) => d.at(s.clone()),
                None => d.in_file(page.clone()),
            });
        }
    }
    problems
}
