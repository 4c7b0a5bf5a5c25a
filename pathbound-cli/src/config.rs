//! Where the API key and base URL come from.
//!
//! In order, the first that gives a value wins:
//! 1. `--base-url` (there is no flag for the key: a command line is visible to
//!    other processes);
//! 2. the profile named by `--profile` (an explicit choice beats the environment);
//! 3. `PATHBOUND_API_KEY` / `PATHBOUND_BASE_URL` (empty counts as unset);
//! 4. the `[default]` profile.
//!
//! The profile file is TOML, one table per profile:
//!
//! ```toml
//! [default]
//! api_key = "sk_live_…"
//!
//! [staging]
//! api_key = "sk_test_…"
//! base_url = "https://staging.example.com/v1"
//! ```
//!
//! It is `$PATHBOUND_CONFIG` when set, else `$XDG_CONFIG_HOME/pathbound/config.toml`,
//! else `~/.config/pathbound/config.toml`.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::PathBuf;

use serde::Deserialize;

use crate::error::CliError;

/// The environment variable naming the profile file.
pub const CONFIG_ENV: &str = "PATHBOUND_CONFIG";

/// One profile of the file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Profile {
    api_key: Option<String>,
    base_url: Option<String>,
}

/// The key and base URL to use; `None` for the client's defaults.
pub struct Settings {
    /// The API key.
    pub api_key: Option<String>,
    /// The base URL.
    pub base_url: Option<String>,
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("api_key", &self.api_key.as_ref().map(|_| "<redacted>"))
            .field("base_url", &self.base_url)
            .finish()
    }
}

/// The profile file's path, from an environment lookup.
pub fn config_path(env: &dyn Fn(&str) -> Option<OsString>) -> Option<PathBuf> {
    let set = |name: &str| env(name).filter(|v| !v.is_empty());
    if let Some(path) = set(CONFIG_ENV) {
        return Some(PathBuf::from(path));
    }
    if let Some(dir) = set("XDG_CONFIG_HOME") {
        return Some(PathBuf::from(dir).join("pathbound/config.toml"));
    }
    set("HOME").map(|home| PathBuf::from(home).join(".config/pathbound/config.toml"))
}

/// Resolves the settings from the flags, the environment and the profile file.
pub fn resolve(
    base_url_flag: Option<&str>,
    profile: Option<&str>,
    api_key_env: &str,
    base_url_env: &str,
    env: &dyn Fn(&str) -> Option<OsString>,
) -> Result<Settings, CliError> {
    let path = config_path(env);
    let mut profiles: BTreeMap<String, Profile> = BTreeMap::new();
    if let Some(path) = &path {
        match std::fs::read_to_string(path) {
            Ok(text) => {
                profiles = toml::from_str(&text)
                    .map_err(|e| CliError::Usage(format!("{}: {}", path.display(), e.message())))?;
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && profile.is_none() => {}
            Err(e) => {
                return Err(CliError::Usage(format!(
                    "cannot read the profile file {}: {e}",
                    path.display()
                )));
            }
        }
    }
    let chosen = match profile {
        Some(name) => Some(profiles.get(name).ok_or_else(|| {
            let known: Vec<&str> = profiles.keys().map(String::as_str).collect();
            let file = path.as_ref().map_or_else(
                || "(no profile file)".to_owned(),
                |p| p.display().to_string(),
            );
            CliError::Usage(if known.is_empty() {
                format!("no profile {name:?}: {file} has no profiles")
            } else {
                format!(
                    "no profile {name:?} in {file}; it has: {}",
                    known.join(", ")
                )
            })
        })?),
        None => None,
    };
    let from_env = |name: &str| {
        env(name)
            .filter(|v| !v.is_empty())
            .map(|v| v.to_string_lossy().into_owned())
    };
    let fallback = profiles.get("default");
    let api_key = chosen
        .and_then(|p| p.api_key.clone())
        .or_else(|| from_env(api_key_env))
        .or_else(|| fallback.and_then(|p| p.api_key.clone()));
    let base_url = base_url_flag
        .map(str::to_owned)
        .or_else(|| chosen.and_then(|p| p.base_url.clone()))
        .or_else(|| from_env(base_url_env))
        .or_else(|| fallback.and_then(|p| p.base_url.clone()));
    Ok(Settings { api_key, base_url })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env_of(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<OsString> + use<> {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| OsString::from(v))
        }
    }

    #[test]
    fn the_path_follows_the_override_then_xdg_then_home() {
        let p = config_path(&env_of(&[("HOME", "/h"), ("XDG_CONFIG_HOME", "/x")]));
        assert_eq!(p, Some(PathBuf::from("/x/pathbound/config.toml")));
        let p = config_path(&env_of(&[("HOME", "/h"), ("XDG_CONFIG_HOME", "")]));
        assert_eq!(p, Some(PathBuf::from("/h/.config/pathbound/config.toml")));
        let p = config_path(&env_of(&[("HOME", "/h"), (CONFIG_ENV, "/c.toml")]));
        assert_eq!(p, Some(PathBuf::from("/c.toml")));
    }

    #[test]
    fn an_explicit_profile_beats_the_environment_which_beats_default() {
        let dir = std::env::temp_dir().join(format!("pathbound-cli-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("config.toml");
        std::fs::write(
            &file,
            "[default]\napi_key = \"k_default\"\n[work]\napi_key = \"k_work\"\nbase_url = \"http://127.0.0.1:1/v1\"\n",
        )
        .unwrap();
        let path = file.to_string_lossy().into_owned();
        let env = env_of(&[(CONFIG_ENV, &path), ("KEY", "k_env")]);
        let s = resolve(None, Some("work"), "KEY", "URL", &env).unwrap();
        assert_eq!(s.api_key.as_deref(), Some("k_work"));
        assert_eq!(s.base_url.as_deref(), Some("http://127.0.0.1:1/v1"));
        let s = resolve(None, None, "KEY", "URL", &env).unwrap();
        assert_eq!(s.api_key.as_deref(), Some("k_env"));
        let env = env_of(&[(CONFIG_ENV, &path)]);
        let s = resolve(Some("http://x"), None, "KEY", "URL", &env).unwrap();
        assert_eq!(s.api_key.as_deref(), Some("k_default"));
        assert_eq!(s.base_url.as_deref(), Some("http://x"));
        let e = resolve(None, Some("nope"), "KEY", "URL", &env).unwrap_err();
        assert!(
            e.message(false).contains("default, work"),
            "{}",
            e.message(false)
        );
        assert!(!format!("{s:?}").contains("k_default"));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
