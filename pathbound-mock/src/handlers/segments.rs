//! Segments (seeded, read-only) and their members.

use serde_json::json;

use super::{Ctx, paginate};
use crate::reply::{Outcome, Reply, body};
use crate::state::{Contact, Segment, State};

/// `GET /segments`.
pub fn list(ctx: &Ctx<'_>, state: &mut State) -> Outcome {
    let segments: Vec<&Segment> = state.segments.iter().collect();
    Ok(paginate(ctx, segments, |s| {
        s.to_json(members(state, s).len())
    }))
}

/// `GET /segments/{segment_id}`.
pub fn get(ctx: &Ctx<'_>, state: &mut State) -> Outcome {
    let segment = find(ctx, state)?;
    Ok(body([(
        "segment",
        segment.to_json(members(state, segment).len()),
    )]))
}

/// `GET /segments/{segment_id}/contacts`.
pub fn list_contacts(ctx: &Ctx<'_>, state: &mut State) -> Outcome {
    let segment = find(ctx, state)?;
    let mut contacts = members(state, segment);
    contacts.sort_by(|a, b| b.created_at.cmp(&a.created_at).then(b.seq.cmp(&a.seq)));
    let mut out = paginate(ctx, contacts, |c| state.contact_json(c));
    out.insert("segment_name".into(), json!(segment.name));
    out.insert("segment_id".into(), json!(segment.id));
    Ok(out)
}

fn find<'s>(ctx: &Ctx<'_>, state: &'s State) -> Result<&'s Segment, Reply> {
    let id = ctx.param("segment_id");
    state
        .segments
        .iter()
        .find(|s| s.id == id)
        .ok_or_else(|| Reply::not_found("segment", id))
}

/// The contacts in `segment`.
pub fn members<'s>(state: &'s State, segment: &Segment) -> Vec<&'s Contact> {
    state
        .contacts
        .values()
        .filter(|c| segment.matches(c, &state.events))
        .collect()
}
