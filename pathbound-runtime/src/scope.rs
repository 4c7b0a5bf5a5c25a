//! [`Scope`]: a permission an API key can be granted.

use std::borrow::{Borrow, Cow};
use std::fmt;

use serde::{Deserialize, Serialize};

/// A permission an API key can be granted, e.g. `contacts:read`.
///
/// One type for every place a scope appears: the generated crate's constants
/// (`pathbound_client::scopes::CONTACTS_READ`), the scopes a key reports
/// (`auth().status()`), [`ClientBuilder::scopes`](crate::ClientBuilder::scopes)
/// and [`Client::with_scopes`](crate::Client::with_scopes) (which take a
/// `Scope` or a string), an operation's requirement
/// ([`Operation::required_scope`](crate::Operation::required_scope)) and
/// [`Error::missing_scope`](crate::Error::missing_scope).
///
/// A scope is its name: two scopes are equal when their names are, whether
/// they came from a constant or from the server, and a scope this version of
/// the client has no constant for is kept as it is.
///
/// ```
/// use pathbound_runtime::Scope;
///
/// const CONTACTS_READ: Scope = Scope::from_static("contacts:read");
/// assert_eq!(Scope::from("contacts:read"), CONTACTS_READ);
/// assert_eq!(CONTACTS_READ, "contacts:read");
/// assert_eq!(CONTACTS_READ.to_string(), "contacts:read");
/// ```
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Scope(Cow<'static, str>);

impl Scope {
    /// A scope named by a string constant, usable in `const` items.
    pub const fn from_static(name: &'static str) -> Self {
        Scope(Cow::Borrowed(name))
    }

    /// The scope's name, e.g. `"contacts:read"`.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl From<&str> for Scope {
    fn from(name: &str) -> Self {
        Scope(Cow::Owned(name.to_owned()))
    }
}

impl From<String> for Scope {
    fn from(name: String) -> Self {
        Scope(Cow::Owned(name))
    }
}

impl From<&String> for Scope {
    fn from(name: &String) -> Self {
        Scope::from(name.as_str())
    }
}

impl From<&Scope> for Scope {
    fn from(scope: &Scope) -> Self {
        scope.clone()
    }
}

impl AsRef<str> for Scope {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl Borrow<str> for Scope {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq<str> for Scope {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Scope {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<Scope> for &str {
    fn eq(&self, other: &Scope) -> bool {
        *self == other.as_str()
    }
}

#[cfg(test)]
mod tests {
    use super::Scope;

    #[test]
    fn constants_and_server_names_compare_by_name() {
        const WRITE: Scope = Scope::from_static("contacts:write");
        let from_server: Scope = serde_json::from_str("\"contacts:write\"").unwrap();
        assert_eq!(from_server, WRITE);
        assert_eq!(serde_json::to_string(&WRITE).unwrap(), "\"contacts:write\"");
        assert_eq!(format!("{WRITE:?}"), "\"contacts:write\"");
        assert!(Scope::from_static("a") < Scope::from_static("b"));
    }
}
