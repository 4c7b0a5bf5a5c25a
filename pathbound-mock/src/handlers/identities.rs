//! Sender identities and the asynchronous LinkedIn login:
//!
//! ```text
//! login ─► queued ─poll─► pending ─poll─► challenge ─code─► connected
//!                                └─poll─► connected   (re-authentication with the stored profile)
//! ```
//!
//! A first login with credentials is challenged for a 2FA code; a re-login with
//! the stored profile (no username or password) is not. Any six-digit code is
//! accepted except `000000`, which LinkedIn "rejects".

use serde_json::{Value, json};

use super::{Ctx, message};
use crate::reply::{Outcome, Reply, body};
use crate::state::{Identity, LoginSession, LoginStatus, State};

/// `GET /identities`.
pub fn list(_ctx: &Ctx<'_>, state: &mut State) -> Outcome {
    let mut all: Vec<&Identity> = state.identities.values().collect();
    all.sort_by(|a, b| a.created_at.cmp(&b.created_at).then(a.id.cmp(&b.id)));
    let identities: Vec<Value> = all.into_iter().map(Identity::to_json).collect();
    Ok(body([("identities", json!(identities))]))
}

/// `POST /identities`.
pub fn create(ctx: &Ctx<'_>, state: &mut State) -> Outcome {
    let mut problems = Vec::new();
    let mut text = |name: &str| {
        let value = ctx.b_str(name).unwrap_or_default().trim().to_owned();
        if value.is_empty() {
            problems.push(crate::validate::Problem::new(name, "must not be empty"));
        }
        value
    };
    let (first, last, role) = (text("firstName"), text("lastName"), text("role"));
    if !problems.is_empty() {
        return Err(Reply::invalid(&problems));
    }
    state.admit(1)?;
    let id = state.ids.next("id_");
    let identity = Identity {
        id: id.clone(),
        email: format!("{}@acme-demo.com", first.to_lowercase().replace(' ', ".")),
        first_name: first,
        last_name: last,
        job_title: role,
        profile_id: None,
        linkedin_connected: false,
        created_at: ctx.now,
        updated_at: ctx.now,
    };
    let json = identity.to_json();
    state.identities.insert(id, identity);
    Ok(body([("identity", json)]))
}

/// `GET /identities/{identity_id}`.
pub fn get(ctx: &Ctx<'_>, state: &mut State) -> Outcome {
    let identity = find(ctx, state)?;
    Ok(body([("identity", identity.to_json())]))
}

/// `PUT /identities/{identity_id}`.
pub fn update(ctx: &Ctx<'_>, state: &mut State) -> Outcome {
    let identity = find_mut(ctx, state)?;
    for (field, slot) in [
        ("firstName", &mut identity.first_name),
        ("lastName", &mut identity.last_name),
        ("jobTitle", &mut identity.job_title),
    ] {
        if let Some(value) = ctx.b_str(field) {
            if value.trim().is_empty() {
                return Err(Reply::invalid_field(field, "must not be empty"));
            }
            *slot = value.trim().to_owned();
        }
    }
    identity.updated_at = ctx.now;
    Ok(body([("identity", identity.to_json())]))
}

/// `DELETE /identities/{identity_id}`.
pub fn delete(ctx: &Ctx<'_>, state: &mut State) -> Outcome {
    let id = find(ctx, state)?.id.clone();
    state.identities.remove(&id);
    state.sessions.retain(|_, s| s.identity_id != id);
    Ok(message("Identity deleted", &[("identity_id", json!(id))]))
}

/// `POST /identities/{identity_id}/linkedin/login`.
pub fn linkedin_login(ctx: &Ctx<'_>, state: &mut State) -> Outcome {
    let identity = find(ctx, state)?;
    let identity_id = identity.id.clone();
    let stored = identity.profile_id.clone();
    let username = ctx.b_str("username").filter(|u| !u.trim().is_empty());
    let password = ctx.b_str("password").filter(|p| !p.is_empty());
    let with_credentials = match (username, password) {
        (Some(_), Some(_)) => true,
        (None, None) if stored.is_some() => false,
        (None, None) => {
            return Err(Reply::invalid_field(
                "username",
                "is required (with password): this identity has no stored LinkedIn profile to re-authenticate",
            ));
        }
        (Some(_), None) => {
            return Err(Reply::invalid_field(
                "password",
                "is required with username",
            ));
        }
        (None, Some(_)) => {
            return Err(Reply::invalid_field(
                "username",
                "is required with password",
            ));
        }
    };
    state.admit(1)?;
    let profile_id = match stored {
        Some(p) => p,
        None => state.ids.next("li_"),
    };
    let session = LoginSession {
        id: state.ids.next("sess_"),
        identity_id: identity_id.clone(),
        profile_id,
        status: LoginStatus::Queued,
        needs_code: with_credentials,
        failed_codes: 0,
    };
    let result = session.result_json();
    state.sessions.insert(session.id.clone(), session);
    Ok(body([
        ("message", json!("LinkedIn login initiated")),
        ("identity_id", json!(identity_id)),
        ("login_result", result),
    ]))
}

/// `GET /identities/{identity_id}/linkedin/status/{session_id}`: each poll moves
/// the session one step on.
pub fn linkedin_status(ctx: &Ctx<'_>, state: &mut State) -> Outcome {
    let now = ctx.now;
    let session = find_session(ctx, state)?;
    session.status = match session.status {
        LoginStatus::Queued => LoginStatus::Pending,
        LoginStatus::Pending if session.needs_code => LoginStatus::Challenge,
        LoginStatus::Pending | LoginStatus::Connected => LoginStatus::Connected,
        LoginStatus::Challenge => LoginStatus::Challenge,
    };
    let session = session.clone();
    if session.status == LoginStatus::Connected {
        connect(state, &session, now);
    }
    Ok(state_body(&session))
}

/// `POST /identities/{identity_id}/linkedin/code/{session_id}`.
pub fn linkedin_submit_code(ctx: &Ctx<'_>, state: &mut State) -> Outcome {
    let code = ctx.b_str("code").unwrap_or_default().trim().to_owned();
    let now = ctx.now;
    let session = find_session(ctx, state)?;
    if session.status != LoginStatus::Challenge {
        return Err(Reply::illegal(format!(
            "Session {} is not waiting for a 2FA code (it is {}); poll linkedin status until it reports challenge",
            session.id,
            session.status.as_str()
        )));
    }
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Reply::invalid_field(
            "code",
            "must be the 6-digit code LinkedIn sent",
        ));
    }
    if code == "000000" {
        session.failed_codes += 1;
        return Err(Reply::invalid_field(
            "code",
            "LinkedIn rejected this code; check it and try again",
        ));
    }
    session.status = LoginStatus::Connected;
    let session = session.clone();
    connect(state, &session, now);
    Ok(state_body(&session))
}

/// `GET /identities/{identity_id}/linkedin/check`.
pub fn linkedin_check(ctx: &Ctx<'_>, state: &mut State) -> Outcome {
    let identity = find(ctx, state)?;
    Ok(body([
        ("connected", json!(identity.linkedin_connected)),
        ("profile_id", json!(identity.profile_id)),
        (
            "message",
            json!(if identity.linkedin_connected {
                "LinkedIn is connected"
            } else {
                "LinkedIn is not connected; start a login with linkedin_login"
            }),
        ),
    ]))
}

fn connect(state: &mut State, session: &LoginSession, now: i64) {
    if let Some(identity) = state.identities.get_mut(&session.identity_id) {
        identity.profile_id = Some(session.profile_id.clone());
        identity.linkedin_connected = true;
        identity.updated_at = now;
    }
}

fn state_body(session: &LoginSession) -> serde_json::Map<String, Value> {
    let text = match session.status {
        LoginStatus::Queued => "LinkedIn login queued",
        LoginStatus::Pending => "Logging in to LinkedIn",
        LoginStatus::Challenge => {
            "LinkedIn asked for a verification code; submit it with linkedin_submit_code"
        }
        LoginStatus::Connected => "LinkedIn connected",
    };
    body([
        ("message", json!(text)),
        ("identity_id", json!(session.identity_id)),
        ("login_result", session.result_json()),
    ])
}

fn find<'s>(ctx: &Ctx<'_>, state: &'s State) -> Result<&'s Identity, Reply> {
    let id = ctx.param("identity_id");
    state
        .identities
        .get(id)
        .ok_or_else(|| Reply::not_found("identity", id))
}

fn find_mut<'s>(ctx: &Ctx<'_>, state: &'s mut State) -> Result<&'s mut Identity, Reply> {
    let id = ctx.param("identity_id");
    state
        .identities
        .get_mut(id)
        .ok_or_else(|| Reply::not_found("identity", id))
}

fn find_session<'s>(ctx: &Ctx<'_>, state: &'s mut State) -> Result<&'s mut LoginSession, Reply> {
    let identity_id = ctx.param("identity_id");
    if !state.identities.contains_key(identity_id) {
        return Err(Reply::not_found("identity", identity_id));
    }
    let session_id = ctx.param("session_id");
    state
        .sessions
        .get_mut(session_id)
        .filter(|s| s.identity_id == identity_id)
        .ok_or_else(|| Reply::not_found("LinkedIn login session", session_id))
}
