//! Notes, shared by contacts and companies: each keeps a `Vec<Note>`, and the
//! four note operations behave the same on either.

use serde_json::{Value, json};

use super::{Ctx, message};
use crate::reply::{Outcome, Reply, body};
use crate::state::Note;

/// The body's `content`, which must not be blank.
pub fn content(ctx: &Ctx<'_>) -> Result<String, Reply> {
    let content = ctx.b_str("content").unwrap_or_default();
    if content.trim().is_empty() {
        return Err(Reply::invalid_field("content", "must not be empty"));
    }
    Ok(content.to_owned())
}

/// `{notes: [...]}`, newest first.
pub fn list(notes: &[Note]) -> Outcome {
    let notes: Vec<Value> = notes.iter().rev().map(Note::to_json).collect();
    Ok(body([("notes", json!(notes))]))
}

/// Appends a note with `id` and `content`; `{note}`.
pub fn create(ctx: &Ctx<'_>, notes: &mut Vec<Note>, id: String, content: String) -> Outcome {
    let note = Note {
        id,
        content,
        created_at: ctx.now,
        updated_at: ctx.now,
    };
    let json = note.to_json();
    notes.push(note);
    Ok(body([("note", json)]))
}

/// Replaces the content of the note named by the `note_id` path parameter.
pub fn update(ctx: &Ctx<'_>, notes: &mut [Note], content: String) -> Outcome {
    let note_id = ctx.param("note_id");
    let note = notes
        .iter_mut()
        .find(|n| n.id == note_id)
        .ok_or_else(|| Reply::not_found("note", note_id))?;
    note.content = content;
    note.updated_at = ctx.now;
    Ok(body([("note", note.to_json())]))
}

/// Removes the note named by the `note_id` path parameter.
pub fn delete(ctx: &Ctx<'_>, notes: &mut Vec<Note>) -> Outcome {
    let note_id = ctx.param("note_id");
    let before = notes.len();
    notes.retain(|n| n.id != note_id);
    if notes.len() == before {
        return Err(Reply::not_found("note", note_id));
    }
    Ok(message("Note deleted", &[("note_id", json!(note_id))]))
}
