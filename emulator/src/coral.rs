//! Input-constraint failures worded as Coral (the framework behind AWS's JSON services) words them:
//! `1 validation error detected: Value 'x' at 'member' failed to satisfy constraint: …`. Cloud Control
//! answers them as `ValidationException`; Cognito as `InvalidParameterException`.

/// One failed constraint of one member.
pub fn failure(shown: Shown<'_>, member: &str, constraint: &str) -> String {
    let shown = match shown {
        Shown::Value(v) => format!(" '{v}'"),
        Shown::Null => " null".to_owned(),
        Shown::Hidden => String::new(),
    };
    format!("Value{shown} at '{member}' failed to satisfy constraint: {constraint}")
}

/// How a failing value appears in the message.
#[derive(Debug, Clone, Copy)]
pub enum Shown<'a> {
    /// Echoed in quotes.
    Value(&'a str),
    /// The member is missing.
    Null,
    /// A sensitive member, which Coral does not echo.
    Hidden,
}

/// Every failure in one message, counted as Coral counts them.
pub fn summary(failures: &[String]) -> String {
    let n = failures.len();
    let plural = if n == 1 { "error" } else { "errors" };
    format!("{n} validation {plural} detected: {}", failures.join("; "))
}

/// A list as Java prints it (`[a, b]`), which is how Coral echoes list members.
pub fn java_list<'a>(items: impl IntoIterator<Item = &'a str>) -> String {
    format!("[{}]", items.into_iter().collect::<Vec<_>>().join(", "))
}
