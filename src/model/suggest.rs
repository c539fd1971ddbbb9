//! "Did you mean …?": the closest known name to a misspelt one.

/// The candidate closest to `name` (ignoring case), if it is close enough to be a likely typo.
pub(crate) fn closest<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let wanted: Vec<char> = name.to_lowercase().chars().collect();
    let limit = (wanted.len() / 3).max(2);
    candidates
        .into_iter()
        .map(|candidate| (distance(&wanted, candidate), candidate))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, candidate)| candidate)
}

/// The message suffix for a suggestion, or nothing.
pub(crate) fn did_you_mean<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> String {
    closest(name, candidates)
        .map(|c| format!("; did you mean {c}?"))
        .unwrap_or_default()
}

/// Levenshtein distance between `a` (already lowercase) and `b`, ignoring case.
fn distance(a: &[char], b: &str) -> usize {
    let b: Vec<char> = b.to_lowercase().chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != cb);
            current.push(substitution.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    const NAMES: &[&str] = &["CallbackURLs", "ClientName", "LogoutURLs"];

    #[test]
    fn a_wrongly_cased_name_suggests_the_real_one() {
        assert_eq!(
            closest("callbackUrls", NAMES.iter().copied()),
            Some("CallbackURLs")
        );
    }

    #[test]
    fn a_small_typo_suggests_the_real_one() {
        assert_eq!(
            closest("ClientNme", NAMES.iter().copied()),
            Some("ClientName")
        );
    }

    #[test]
    fn an_unrelated_name_suggests_nothing() {
        assert_eq!(closest("Foo", NAMES.iter().copied()), None);
        assert_eq!(did_you_mean("Foo", NAMES.iter().copied()), "");
    }
}
