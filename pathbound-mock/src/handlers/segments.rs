//! Segments (seeded, read-only) and their members. Counts and member pages come
//! from the membership index the state keeps (see `state`), so none of these
//! scans contacts or events.

use serde_json::json;

use super::{Ctx, paginate, paginate_iter};
use crate::reply::{Outcome, Reply, body};
use crate::state::{Segment, State};

/// `GET /segments`.
pub fn list(ctx: &Ctx<'_>, state: &mut State) -> Outcome {
    let segments: Vec<(usize, &Segment)> = state.segments().iter().enumerate().collect();
    Ok(paginate(ctx, segments, |(position, s)| {
        s.to_json(state.member_count(*position))
    }))
}

/// `GET /segments/{segment_id}`.
pub fn get(ctx: &Ctx<'_>, state: &mut State) -> Outcome {
    let (position, segment) = find(ctx, state)?;
    Ok(body([(
        "segment",
        segment.to_json(state.member_count(position)),
    )]))
}

/// `GET /segments/{segment_id}/contacts`: newest members first.
pub fn list_contacts(ctx: &Ctx<'_>, state: &mut State) -> Outcome {
    let (position, segment) = find(ctx, state)?;
    let mut out = paginate_iter(
        ctx,
        state.member_count(position),
        state.members(position).rev(),
        |c| state.contact_json(c),
    );
    out.insert("segment_name".into(), json!(segment.name));
    out.insert("segment_id".into(), json!(segment.id));
    Ok(out)
}

fn find<'s>(ctx: &Ctx<'_>, state: &'s State) -> Result<(usize, &'s Segment), Reply> {
    let id = ctx.param("segment_id");
    state
        .segment_position(id)
        .and_then(|p| Some((p, state.segments().get(p)?)))
        .ok_or_else(|| Reply::not_found("segment", id))
}
