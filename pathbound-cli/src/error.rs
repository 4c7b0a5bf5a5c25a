//! Failures and their exit codes: 0 success, 1 API error, 2 usage error,
//! 3 network or timeout.

use std::fmt::Write as _;

/// Why a command failed.
#[derive(Debug)]
pub enum CliError {
    /// The command line (or `--body`, the profile, the configuration) is wrong.
    Usage(String),
    /// The client's error.
    Client(pathbound_client::Error),
    /// stdout could not be written.
    Output(std::io::Error),
    /// Something that should not happen.
    Internal(String),
}

impl From<pathbound_client::Error> for CliError {
    fn from(e: pathbound_client::Error) -> Self {
        CliError::Client(e)
    }
}

/// Exit status 1: the API answered with an error (4xx or 5xx).
pub const EXIT_API: u8 = 1;
/// Exit status 2: a usage error.
pub const EXIT_USAGE: u8 = 2;
/// Exit status 3: the network failed or the request timed out.
pub const EXIT_NETWORK: u8 = 3;

impl CliError {
    /// The documented exit status.
    pub fn exit_code(&self) -> u8 {
        use pathbound_client::Error;
        match self {
            CliError::Usage(_) => EXIT_USAGE,
            CliError::Client(Error::Transport { .. } | Error::Timeout { .. }) => EXIT_NETWORK,
            CliError::Client(Error::InvalidRequest { .. } | Error::Config(_)) => EXIT_USAGE,
            CliError::Client(_) => EXIT_API,
            CliError::Output(_) | CliError::Internal(_) => EXIT_API,
        }
    }

    /// The message for stderr: the client's sentence, then the API error's
    /// `details` one per line; with `debug`, the request id and the causes.
    pub fn message(&self, debug: bool) -> String {
        match self {
            CliError::Usage(m) | CliError::Internal(m) => m.clone(),
            CliError::Output(e) => format!("could not write the output: {e}"),
            CliError::Client(e) => {
                let mut text = e.to_string();
                if let pathbound_client::Error::Api(api) = e {
                    for detail in &api.details {
                        let _ = write!(text, "\n  - {}", detail_line(detail));
                    }
                    if debug {
                        let _ = write!(
                            text,
                            "\nrequest id: {}",
                            api.request_id
                                .as_deref()
                                .unwrap_or("(none sent)")
                                .escape_debug()
                        );
                    }
                }
                if debug {
                    let mut source = std::error::Error::source(e);
                    while let Some(cause) = source {
                        let _ = write!(text, "\ncaused by: {cause}");
                        source = cause.source();
                    }
                }
                text
            }
        }
    }
}

/// One entry of an API error's `details`: `field: message` when it has those
/// keys, else its JSON; control characters escaped (it is server text).
fn detail_line(detail: &serde_json::Value) -> String {
    let field = detail.get("field").and_then(serde_json::Value::as_str);
    let message = detail.get("message").and_then(serde_json::Value::as_str);
    let line = match (field, message, detail) {
        (Some(f), Some(m), _) => format!("{f}: {m}"),
        (None, Some(m), _) => m.to_owned(),
        (_, _, serde_json::Value::String(s)) => s.clone(),
        (_, _, other) => other.to_string(),
    };
    printable(&line)
}

/// `text` with control characters escaped, so server text cannot move the
/// cursor or fake lines on the terminal.
fn printable(text: &str) -> String {
    text.chars()
        .flat_map(|c| {
            if c.is_control() {
                c.escape_default().collect::<Vec<_>>()
            } else {
                vec![c]
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use pathbound_client::Error;

    #[test]
    fn exit_codes_follow_the_kind_of_failure() {
        let timeout = CliError::Client(Error::Timeout {
            operation: "contacts.list",
            attempts: 3,
        });
        assert_eq!(timeout.exit_code(), EXIT_NETWORK);
        let invalid = CliError::Client(Error::InvalidRequest {
            operation: Some("contacts.list"),
            parameter: "limit".into(),
            message: "`limit` must be between 1 and 100, got 500".into(),
        });
        assert_eq!(invalid.exit_code(), EXIT_USAGE);
        assert_eq!(
            CliError::Client(Error::Config("no key".into())).exit_code(),
            EXIT_USAGE
        );
        let scope = CliError::Client(Error::MissingScope {
            operation: "contacts.create",
            method: "POST",
            path: "/contacts",
            scope: "contacts:write",
        });
        assert_eq!(scope.exit_code(), EXIT_API);
        assert!(scope.message(false).contains("contacts:write"));
        assert_eq!(CliError::Usage("x".into()).exit_code(), EXIT_USAGE);
    }

    #[test]
    fn server_text_in_details_cannot_write_control_characters() {
        let line = detail_line(&serde_json::json!({"field": "email", "message": "bad\u{1b}[2J"}));
        assert_eq!(line, "email: bad\\u{1b}[2J");
    }
}
