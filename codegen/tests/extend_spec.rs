//! Adding an endpoint to the spec is all it takes: the generator writes the new
//! method into its resource's module and touches nothing else.
//! (That the result compiles is shown by the fixture client, which is built from
//! a spec using every feature, and by the client itself in every CI run.)

use std::path::Path;

use pathbound_codegen::ast::SourceFile;

const TIMELINE: &str = r#"
  timeline:
    method: GET
    path: /contacts/{contact_id}/timeline
    scope: contacts:read
    summary: A contact's timeline of events, notes and actions.
    path_params:
      contact_id: { type: string, description: The contact's id. }
    response: { key: timeline, type: "any[]" }
"#;

fn spec() -> Vec<SourceFile> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
    pathbound_codegen::load::read_spec(&root, "spec").unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn a_new_endpoint_changes_only_its_resource_module() {
    let before = pathbound_codegen::generate_files(spec()).unwrap_or_else(|e| panic!("{e}"));
    let mut files = spec();
    let contacts = files
        .iter_mut()
        .find(|f| f.name.ends_with("resources/contacts.yaml"));
    let contacts = contacts.unwrap_or_else(|| panic!("no contacts.yaml"));
    assert!(
        contacts.text.contains("\nendpoints:\n"),
        "endpoints must be the last section for this test"
    );
    contacts.text.push_str(TIMELINE);
    let after = pathbound_codegen::generate_files(files).unwrap_or_else(|e| panic!("{e}"));

    let changed: Vec<&str> = after
        .iter()
        .filter(|a| before.iter().find(|b| b.path == a.path) != Some(a))
        .map(|a| a.path.as_str())
        .collect();
    assert_eq!(changed, ["contacts.rs"]);
    let contacts = &after
        .iter()
        .find(|f| f.path == "contacts.rs")
        .unwrap_or_else(|| panic!("no contacts.rs"))
        .contents;
    assert!(contacts.contains(
        "pub fn timeline(\n        &self,\n        contact_id: impl Into<super::ids::ContactId>,\n    ) -> ContactsTimelineRequest"
    ));
    assert!(
        contacts.contains(
            "/// `GET /v1/contacts/{contact_id}/timeline` · requires scope `contacts:read`"
        )
    );
    assert!(
        contacts.contains("pub async fn send(self) -> runtime::Result<Vec<serde_json::Value>>")
    );
    assert!(contacts.contains("response.decode_key(\"timeline\")"));
}
