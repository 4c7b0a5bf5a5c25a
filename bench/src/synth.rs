//! Synthetic specs of any size, built in memory as the generator's input files.
//!
//! A spec of `n` endpoints has one resource file per 10 endpoints (the last one
//! shorter when `n` is not a multiple of 10) and, per resource, two scopes and five
//! schemas (an object with an aliased id and a kept-extras map, a nested object with
//! a renamed field, two open enums and a whole-body response) plus three inline
//! request bodies: about 0.8 types per endpoint, as in the real spec. The endpoints
//! are the usual mix: a page-paginated list with filters, a skip-paginated list, a
//! count with a fixed query pair, a get by id, a create and an update with inline
//! bodies, a delete, a sub-resource list and create, and a search with a required
//! query parameter.

use std::fmt::Write as _;

use pathbound_codegen::ast::SourceFile;

/// Endpoints per resource file.
pub const PER_RESOURCE: usize = 10;

/// The files of a synthetic spec with `endpoints` endpoints: `api.yaml` first.
pub fn spec(endpoints: usize) -> Vec<SourceFile> {
    let resources = endpoints.div_ceil(PER_RESOURCE);
    let mut files = vec![SourceFile {
        name: "synthetic/api.yaml".into(),
        text: main_file(resources),
    }];
    for r in 0..resources {
        let count = (endpoints - r * PER_RESOURCE).min(PER_RESOURCE);
        files.push(SourceFile {
            name: format!("synthetic/resources/{}.yaml", resource_name(r)),
            text: resource_file(r, count),
        });
    }
    files
}

fn resource_name(r: usize) -> String {
    format!("res_{r:04}")
}

fn main_file(resources: usize) -> String {
    let mut s = String::from(
        r#"api:
  title: Synthetic API
  version: "1"
  description: |
    A generated spec for benchmarking the generator: one resource file per ten
    endpoints, with the mix of features the real spec uses.
  base_url: https://api.example.test/v1
  auth:
    scheme: bearer
    api_key_env: SYNTHETIC_API_KEY
    base_url_env: SYNTHETIC_BASE_URL

scopes:
"#,
    );
    for r in 0..resources {
        let name = resource_name(r);
        let _ = write!(
            s,
            "  {name}:read:\n    description: Read the items of {name}.\n  {name}:write:\n    description: Create, change and delete the items of {name}.\n"
        );
    }
    s.push_str(
        r#"
schemas:
  SortDir:
    description: Sort direction.
    enum:
      - { value: asc, description: Ascending. }
      - { value: desc, description: Descending. }
  Stage:
    description: A funnel stage.
    enum: [lead, prospect, customer, { value: other, description: Any other stage. }]
  Note:
    description: A free-form note. Unknown keys are kept.
    additional: keep
    fields:
      note_id: { type: string, aliases: [_id, id], required: true, description: The note's id. }
      content: { type: string, description: The note text. }
      created_at: { type: datetime, description: When the note was written. }
  Message:
    description: A generic acknowledgement.
    additional: keep
    fields:
      status: { type: string, description: The envelope status. }
      message: { type: string, description: A human-readable message. }
"#,
    );
    s
}

/// The endpoints of one resource, in order; a short resource takes a prefix.
const ENDPOINTS: [&str; PER_RESOURCE] = [
    LIST,
    LIST_ARCHIVED,
    COUNT,
    GET,
    CREATE,
    UPDATE,
    DELETE,
    LIST_NOTES,
    CREATE_NOTE,
    SEARCH,
];

const LIST: &str = r#"  list:
    method: GET
    path: /{path}/items
    scope: {res}:read
    summary: List, filter and search the items of {res}.
    description: |
      Page/limit pagination (`limit` 1 to 100, default 20). All filters combine with AND.
    query:
      page: { type: integer, default: 1, min: 1, description: The page number (from 1). }
      limit: { type: integer, default: 20, min: 1, max: 100, description: Items per page. }
      status: { type: {P}Status, description: Only items with this status. }
      kind: { type: {P}Kind, description: Only items of this kind. }
      stage: { type: Stage, description: Only items in this stage. }
      owner_id: { type: string, description: Only items of this owner. }
      has_owner: { type: boolean, description: Only items with or without an owner. }
      created_after: { type: datetime, description: Only items created at or after this time. }
      search: { type: string, description: Free-text search. }
      sort_dir: { type: SortDir, default: desc, description: The sort direction. }
    response:
      type: {P}Item
    pagination:
      style: page
      items: items
    errors:
      400: Invalid query parameter.
      401: Missing or invalid API key.
      403: The key lacks the `{res}:read` scope.
      429: Rate limit exceeded.
"#;

const LIST_ARCHIVED: &str = r#"  list_archived:
    method: GET
    path: /{path}/archived
    scope: {res}:read
    summary: List archived items, skip/limit style.
    query:
      skip: { type: integer, default: 0, min: 0, description: Items to skip. }
      limit: { type: integer, default: 20, min: 1, max: 100, description: Items per page. }
    response:
      type: {P}Item
    pagination:
      style: skip
      items: items
    errors:
      401: Missing or invalid API key.
      403: The key lacks the `{res}:read` scope.
"#;

const COUNT: &str = r#"  count:
    method: GET
    path: /{path}/items
    scope: {res}:read
    summary: Count the matching items without fetching them.
    query:
      status: { type: {P}Status, description: Only items with this status. }
      search: { type: string, description: Free-text search. }
    fixed_query:
      count_only: "true"
    response:
      key: count
      type: integer
"#;

const GET: &str = r#"  get:
    method: GET
    path: /{path}/items/{item_id}
    scope: {res}:read
    summary: Get one item.
    path_params:
      item_id: { type: string, description: The item's id. }
    response:
      key: item
      type: {P}Item
    errors:
      401: Missing or invalid API key.
      403: The key lacks the `{res}:read` scope.
      404: No item with this id.
"#;

const CREATE: &str = r#"  create:
    method: POST
    path: /{path}/items
    scope: {res}:write
    summary: Create an item.
    description: |
      Returns `201` with the new item; the name must be unique, otherwise `409`.
    body:
      fields:
        name: { type: string, required: true, description: The display name. }
        status: { type: {P}Status, description: The initial status. }
        props: { type: {P}Props, description: Properties to set. }
        tags: { type: "string[]", max_items: 50, description: Tags. }
        score: { type: number, min: 0, max: 100, description: A score from 0 to 100. }
    response:
      status: 201
      key: item
      type: {P}Item
    errors:
      400: Invalid body.
      409: An item with this name exists.
"#;

const UPDATE: &str = r#"  update:
    method: PATCH
    path: /{path}/items/{item_id}
    scope: {res}:write
    summary: Change some fields of an item.
    path_params:
      item_id: { type: string, description: The item's id. }
    body:
      fields:
        name: { type: string, description: The new display name. }
        status: { type: {P}Status, description: The new status. }
        props: { type: {P}Props, description: Properties to update. }
    response:
      key: item
      type: {P}Item
    errors:
      404: No item with this id.
"#;

const DELETE: &str = r#"  delete:
    method: DELETE
    path: /{path}/items/{item_id}
    scope: {res}:write
    summary: Delete an item permanently.
    path_params:
      item_id: { type: string, description: The item's id. }
    response:
      type: Message
    errors:
      404: No item with this id.
"#;

const LIST_NOTES: &str = r#"  list_notes:
    method: GET
    path: /{path}/items/{item_id}/notes
    scope: {res}:read
    summary: List an item's notes.
    path_params:
      item_id: { type: string, description: The item's id. }
    response:
      key: notes
      type: Note[]
"#;

const CREATE_NOTE: &str = r#"  create_note:
    method: POST
    path: /{path}/items/{item_id}/notes
    scope: {res}:write
    summary: Add a note to an item.
    path_params:
      item_id: { type: string, description: The item's id. }
    body:
      fields:
        content: { type: string, required: true, description: The note text. }
    response:
      status: 201
      key: note
      type: Note
"#;

const SEARCH: &str = r#"  search:
    method: GET
    path: /{path}/search
    scope: {res}:read
    summary: Search items by a required term.
    query:
      q: { type: string, required: true, rust_name: term, description: The search term. }
      limit: { type: integer, min: 1, max: 50, description: At most this many results. }
    response:
      type: {P}Stats
"#;

const SCHEMAS: &str = r#"schemas:
  {P}Item:
    description: |
      An item of {res}. Older responses send the id as `_id`, summaries as `id`;
      unknown keys are kept in `extra`.
    additional: keep
    fields:
      item_id: { type: string, aliases: [_id, id], required: true, description: The item's id. }
      name: { type: string, description: The display name. }
      status: { type: {P}Status, description: The status. }
      kind: { type: {P}Kind, nullable: true, description: The kind if known. }
      stage: { type: Stage, description: The funnel stage. }
      props: { type: {P}Props, description: Known and custom properties. }
      tags: { type: "string[]", description: Tags. }
      score: { type: number, description: A score from 0 to 100. }
      visits: { type: integer, description: How often it was seen. }
      active: { type: boolean, description: Whether it is active. }
      owner_id: { type: string, nullable: true, description: The owner's id. }
      notes: { type: "Note[]", description: Embedded notes. }
      metadata: { type: object, nullable: true, description: Free-form metadata. }
      created_at: { type: datetime, description: When it was created. }
      updated_at: { type: datetime, description: When it was last changed. }
  {P}Props:
    description: Properties; custom keys are kept in `extra`.
    additional: keep
    fields:
      email: { type: string, description: An email address. }
      firstName: { type: string, rust_name: first_name, description: A first name. }
      country: { type: string, description: A country. }
      counts: { type: "map<integer>", description: Counters by name. }
  {P}Status:
    description: The status of an item.
    enum:
      - active
      - archived
      - { value: pending_review, description: Waiting for a review. }
  {P}Kind:
    description: The kind of an item.
    enum: [person, company, { value: other, description: Anything else. }]
  {P}Stats:
    description: The whole-body answer of a search.
    fields:
      total: { type: integer, required: true, description: Matches in total. }
      items: { type: "{P}Item[]", description: The best matches. }
"#;

fn resource_file(r: usize, endpoints: usize) -> String {
    let res = resource_name(r);
    let pascal = format!("Res{r:04}");
    let path = format!("res-{r:04}");
    let fill = |t: &str| {
        t.replace("{res}", &res)
            .replace("{P}", &pascal)
            .replace("{path}", &path)
    };
    let mut s =
        format!("description: |\n  Synthetic resource {r}: items, their notes and a search.\n\n");
    s.push_str(&fill(SCHEMAS));
    s.push_str("\nendpoints:\n");
    for e in &ENDPOINTS[..endpoints] {
        s.push_str(&fill(e));
    }
    s
}
