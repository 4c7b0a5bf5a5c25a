//! End-to-end tests of the agents resource: list (offset/limit pagination
//! with top-level totals), create, get, update, delete, runs, trigger and the
//! approval of actions proposed in a run.

mod support;

use pathbound_client::agents::{
    AgentCapability, AgentMonitoring, AgentPlaybook, LlmConfig, PlaybookTemplate,
};
use serde_json::json;
use support::*;
use wiremock::ResponseTemplate;
use wiremock::matchers::{body_json, query_param};

#[tokio::test]
async fn list_sends_filters_and_decodes_top_level_totals() {
    let (server, client) = start().await;
    authed("GET", "/agents")
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "status": "success",
            "agents": [
                {"_id": "agt_1", "name": "Pricing visitor follow-up",
                 "playbook_template": "pricing_visitor_followup",
                 "capabilities": ["email", "notes", "slack"], "enabled": true,
                 "llm_config": {"provider": "anthropic", "model": "claude", "temperature": 0.2,
                                "max_tokens": 1024, "top_p": 0.9},
                 "last_run_at": TS},
                {"agent_id": "agt_2", "id": "agt_2", "playbook_template": "webinar_followup"}
            ],
            "total": 12,
            "limit": 2,
            "offset": 4,
            "has_drafts": false
        })))
        .expect(1)
        .mount(&server)
        .await;

    let page = client
        .agents()
        .list()
        .offset(4)
        .limit(2)
        .enabled(true)
        .playbook_template(PlaybookTemplate::PricingVisitorFollowup)
        .send()
        .await
        .unwrap();

    let req = only_request(&server).await;
    assert_bearer(&req);
    assert_query(
        &req,
        &[
            ("offset", "4"),
            ("limit", "2"),
            ("enabled", "true"),
            ("playbook_template", "pricing_visitor_followup"),
        ],
    );
    // Top-level total/limit/offset are pagination, not extras.
    assert_eq!(page.info.total_items, Some(12));
    assert_eq!(page.info.limit, Some(2));
    assert_eq!(page.info.offset, Some(4));
    assert_eq!(page.extra.get("has_drafts"), Some(&json!(false)));
    assert!(!page.extra.contains_key("total"));
    assert!(!page.extra.contains_key("offset"));
    assert_eq!(page.next_page_param(), Some(6));

    let first = &page.items[0];
    assert_eq!(first.agent_id, "agt_1");
    assert_eq!(
        first.playbook_template,
        Some(PlaybookTemplate::PricingVisitorFollowup)
    );
    assert_eq!(
        first.capabilities.as_deref(),
        Some(
            &[
                AgentCapability::Email,
                AgentCapability::Notes,
                AgentCapability::from("slack")
            ][..]
        )
    );
    let llm = first.llm_config.as_ref().unwrap();
    assert_eq!(llm.temperature, Some(0.2));
    assert_eq!(llm.max_tokens, Some(1024));
    assert_eq!(llm.extra.get("top_p"), Some(&json!(0.9)));
    assert_eq!(first.extra.get("last_run_at"), Some(&json!(TS)));
    let second = &page.items[1];
    assert_eq!(second.agent_id, "agt_2");
    assert_eq!(
        second.playbook_template,
        Some(PlaybookTemplate::from("webinar_followup"))
    );
    assert!(second.extra.is_empty(), "{:?}", second.extra);
}

/// offset/limit pagination: first, middle and last page of 5 agents.
#[tokio::test]
async fn list_offset_pages_report_whether_more_follow() {
    let (server, client) = start().await;
    for (offset, n) in [(0usize, 2usize), (2, 2), (4, 1)] {
        let agents: Vec<_> = (offset..offset + n)
            .map(|i| json!({"_id": format!("agt_{i}")}))
            .collect();
        authed("GET", "/agents")
            .and(query_param("offset", offset.to_string()))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "status": "success", "agents": agents, "total": 5, "limit": 2, "offset": offset
            })))
            .expect(1)
            .mount(&server)
            .await;
    }

    let mut next = Some(0u64);
    let mut ids = Vec::new();
    let mut more = Vec::new();
    while let Some(offset) = next {
        let page = client
            .agents()
            .list()
            .offset(offset as i64)
            .limit(2)
            .send()
            .await
            .unwrap();
        ids.extend(page.iter().map(|a| a.agent_id.clone()));
        more.push(page.has_more());
        next = page.next_page_param();
        assert!(more.len() <= 3, "the walk must stop");
    }

    assert_eq!(ids, ["agt_0", "agt_1", "agt_2", "agt_3", "agt_4"]);
    assert_eq!(more, [true, true, false]);
}

#[tokio::test]
async fn list_limits_are_checked_before_sending() {
    let (server, client) = start().await;

    let err = client.agents().list().limit(500).send().await.unwrap_err();
    assert_invalid(&err, "agents.list", "limit");
    let err = client.agents().list().offset(-5).send().await.unwrap_err();
    assert_invalid(&err, "agents.list", "offset");

    assert_nothing_sent(&server).await;
}

#[tokio::test]
async fn create_sends_the_nested_configuration_and_unwraps_the_agent() {
    let (server, client) = start().await;
    let expected = json!({
        "name": "Pricing visitor follow-up",
        "description": "Emails visitors of /pricing",
        "playbook_template": "pricing_visitor_followup",
        "playbook": {
            "playbook_md": "When a contact visits /pricing twice in 7 days, draft an email.",
            "tone": "friendly"
        },
        "capabilities": ["email", "notes"],
        "identity_id": "id_123",
        "monitoring": {
            "filter": {"event_type": "page_view", "url_contains": "/pricing"},
            "schedule_cron": "0 * * * *",
            "max_contacts_per_run": 25
        },
        "llm_config": {"provider": "anthropic", "model": "claude-sonnet", "temperature": 0.3,
                       "max_tokens": 800},
        "enabled": true
    });
    authed("POST", "/agents")
        .and(body_json(&expected))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({
            "status": "success",
            "agent": {"_id": "agt_new", "name": "Pricing visitor follow-up", "enabled": true,
                      "monitoring": {"schedule_cron": "0 * * * *", "timezone": "UTC"},
                      "created_at": TS}
        })))
        .expect(1)
        .mount(&server)
        .await;

    let agent = client
        .agents()
        .create("Pricing visitor follow-up")
        .description("Emails visitors of /pricing")
        .playbook_template(PlaybookTemplate::PricingVisitorFollowup)
        .playbook(AgentPlaybook {
            playbook_md: Some(
                "When a contact visits /pricing twice in 7 days, draft an email.".into(),
            ),
            extra: obj(json!({"tone": "friendly"})),
        })
        .capabilities([AgentCapability::Email, AgentCapability::Notes])
        .identity_id("id_123")
        .monitoring(AgentMonitoring {
            filter: Some(json!({"event_type": "page_view", "url_contains": "/pricing"})),
            schedule_cron: Some("0 * * * *".into()),
            max_contacts_per_run: Some(25),
            ..Default::default()
        })
        .llm_config(LlmConfig {
            provider: Some("anthropic".into()),
            model: Some("claude-sonnet".into()),
            temperature: Some(0.3),
            max_tokens: Some(800),
            ..Default::default()
        })
        .enabled(true)
        .send()
        .await
        .unwrap();

    let req = only_request(&server).await;
    assert_bearer(&req);
    assert_eq!(json_body(&req), expected);
    assert_eq!(agent.agent_id, "agt_new");
    assert_eq!(agent.enabled, Some(true));
    let monitoring = agent.monitoring.as_ref().unwrap();
    assert_eq!(monitoring.schedule_cron.as_deref(), Some("0 * * * *"));
    assert_eq!(monitoring.extra.get("timezone"), Some(&json!("UTC")));
    assert_eq!(agent.created_at.as_ref().unwrap().as_str(), TS);
}

#[tokio::test]
async fn create_with_only_a_name_sends_only_the_name() {
    let (server, client) = start().await;
    authed("POST", "/agents")
        .and(body_json(json!({"name": "Cold outreach"})))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({
            "status": "success", "agent": {"agent_id": "agt_1", "enabled": false}
        })))
        .expect(1)
        .mount(&server)
        .await;

    let agent = client
        .agents()
        .create("Cold outreach")
        .send()
        .await
        .unwrap();

    assert_eq!(
        json_body(&only_request(&server).await),
        json!({"name": "Cold outreach"})
    );
    assert_eq!(agent.agent_id, "agt_1");
    assert_eq!(agent.enabled, Some(false));
}

#[tokio::test]
async fn get_and_delete() {
    let (server, client) = start().await;
    authed("GET", "/agents/agt_1")
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "status": "success",
            "agent": {"id": "agt_1", "name": "Cold outreach", "identity_id": null,
                      "playbook": {"playbook_md": "# Steps", "steps": 3}}
        })))
        .expect(1)
        .mount(&server)
        .await;
    authed("DELETE", "/agents/agt_1")
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "status": "success", "message": "Agent and 14 runs deleted"
        })))
        .expect(1)
        .mount(&server)
        .await;

    let agent = client.agents().get("agt_1").send().await.unwrap();
    let deleted = client.agents().delete("agt_1").send().await.unwrap();

    assert_eq!(agent.agent_id, "agt_1");
    assert_eq!(agent.identity_id, None);
    let playbook = agent.playbook.as_ref().unwrap();
    assert_eq!(playbook.playbook_md.as_deref(), Some("# Steps"));
    assert_eq!(playbook.extra.get("steps"), Some(&json!(3)));
    assert_eq!(
        deleted.message.as_deref(),
        Some("Agent and 14 runs deleted")
    );
    let sent = requests(&server).await;
    assert_no_body(&sent[0]);
    assert_no_body(&sent[1]);
}

#[tokio::test]
async fn update_is_a_patch_with_only_the_changed_fields() {
    let (server, client) = start().await;
    let expected = json!({"enabled": false, "capabilities": ["email", "crm_sync"]});
    authed("PATCH", "/agents/agt_1")
        .and(body_json(&expected))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "status": "success",
            "agent": {"agent_id": "agt_1", "enabled": false, "capabilities": ["email", "crm_sync"]}
        })))
        .expect(1)
        .mount(&server)
        .await;

    let agent = client
        .agents()
        .update("agt_1")
        .enabled(false)
        .capabilities(["email", "crm_sync"])
        .send()
        .await
        .unwrap();

    assert_eq!(json_body(&only_request(&server).await), expected);
    assert_eq!(
        agent.capabilities.as_deref(),
        Some(&[AgentCapability::Email, AgentCapability::CrmSync][..])
    );
}

#[tokio::test]
async fn list_runs_and_get_run() {
    let (server, client) = start().await;
    authed("GET", "/agents/agt_1/runs")
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "status": "success",
            "runs": [
                {"_id": "run_1", "agent_id": "agt_1", "status": "completed",
                 "contacts": [{"contact_id": "ct_1", "proposed_actions": 2}],
                 "started_at": TS},
                {"run_id": "run_2", "status": "awaiting_approval"}
            ],
            "total": 2, "limit": 10, "offset": 0
        })))
        .expect(1)
        .mount(&server)
        .await;
    authed("GET", "/agents/runs/run_1")
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "status": "success",
            "run": {"id": "run_1", "agent_id": "agt_1", "status": "completed",
                    "contacts": [{"contact_id": "ct_1", "email": "ada@example.com"}]}
        })))
        .expect(1)
        .mount(&server)
        .await;

    let runs = client
        .agents()
        .list_runs("agt_1")
        .limit(10)
        .status("completed")
        .send()
        .await
        .unwrap();
    let run = client.agents().get_run("run_1").send().await.unwrap();

    let sent = requests(&server).await;
    assert_query(&sent[0], &[("limit", "10"), ("status", "completed")]);
    assert_no_query(&sent[1]);
    let ids: Vec<_> = runs.iter().map(|r| r.run_id.as_str()).collect();
    assert_eq!(ids, ["run_1", "run_2"]);
    assert_eq!(runs.items[0].agent_id.as_deref(), Some("agt_1"));
    assert_eq!(runs.items[0].extra.get("started_at"), Some(&json!(TS)));
    assert_eq!(runs.info.total_items, Some(2));
    assert!(!runs.has_more());
    assert_eq!(run.run_id, "run_1");
    assert_eq!(run.status.as_deref(), Some("completed"));
    assert_eq!(
        run.contacts,
        Some(json!([{"contact_id": "ct_1", "email": "ada@example.com"}]))
    );
}

#[tokio::test]
async fn trigger_sends_contact_ids_or_nothing_and_returns_the_job_id() {
    let (server, client) = start().await;
    authed("POST", "/agents/agt_1/trigger")
        .and(body_json(json!({"contact_ids": ["ct_1", "ct_2"]})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "status": "success", "job_id": "job_xyz789"
        })))
        .expect(1)
        .mount(&server)
        .await;
    authed("POST", "/agents/agt_2/trigger")
        .and(body_json(json!({})))
        .respond_with(ResponseTemplate::new(202).set_body_json(json!({
            "status": "success", "job_id": "job_default"
        })))
        .expect(1)
        .mount(&server)
        .await;

    let job = client
        .agents()
        .trigger("agt_1")
        .contact_ids(["ct_1", "ct_2"])
        .send()
        .await
        .unwrap();
    let default_job = client.agents().trigger("agt_2").send().await.unwrap();

    assert_eq!(job, "job_xyz789");
    assert_eq!(default_job, "job_default");
}

#[tokio::test]
async fn trigger_403_names_agents_trigger() {
    let (server, client) = start().await;
    authed("POST", "/agents/agt_1/trigger")
        .respond_with(
            ResponseTemplate::new(403).set_body_json(error_envelope("Forbidden", json!([]))),
        )
        .expect(1)
        .mount(&server)
        .await;

    let err = client.agents().trigger("agt_1").send().await.unwrap_err();

    let shown = err.to_string();
    assert!(shown.contains("agents:trigger"), "{shown}");
    assert!(
        shown.contains("POST /v1/agents/{agent_id}/trigger"),
        "{shown}"
    );
    assert_key_hidden(&err);
}

#[tokio::test]
async fn approve_and_reject_a_proposed_action_by_run_contact_and_index() {
    let (server, client) = start().await;
    authed(
        "POST",
        "/agents/runs/run_1/contacts/ct_abc/actions/2/approve",
    )
    .respond_with(ResponseTemplate::new(200).set_body_json(json!({
        "status": "success", "message": "Action approved"
    })))
    .expect(1)
    .mount(&server)
    .await;
    authed(
        "POST",
        "/agents/runs/run_1/contacts/ct_abc/actions/0/reject",
    )
    .respond_with(ResponseTemplate::new(200).set_body_json(json!({
        "status": "success", "message": "Action rejected"
    })))
    .expect(1)
    .mount(&server)
    .await;

    let approved = client
        .agents()
        .approve_run_action("run_1", "ct_abc", 2)
        .send()
        .await
        .unwrap();
    let rejected = client
        .agents()
        .reject_run_action("run_1", "ct_abc", 0)
        .send()
        .await
        .unwrap();

    assert_eq!(approved.message.as_deref(), Some("Action approved"));
    assert_eq!(rejected.message.as_deref(), Some("Action rejected"));
    for req in requests(&server).await {
        assert_bearer(&req);
        assert_no_body(&req);
    }
}

#[tokio::test]
async fn a_negative_action_index_is_rejected_before_sending() {
    let (server, client) = start().await;

    let err = client
        .agents()
        .approve_run_action("run_1", "ct_abc", -1)
        .send()
        .await
        .unwrap_err();
    assert_invalid(&err, "agents.approve_run_action", "action_index");

    assert_nothing_sent(&server).await;
}

#[tokio::test]
async fn approve_run_action_404_names_the_templated_path() {
    let (server, client) = start().await;
    authed(
        "POST",
        "/agents/runs/run_x/contacts/ct_abc/actions/9/approve",
    )
    .respond_with(ResponseTemplate::new(404).set_body_json(error_envelope(
        "No proposed action at this index",
        json!([]),
    )))
    .expect(1)
    .mount(&server)
    .await;

    let err = client
        .agents()
        .approve_run_action("run_x", "ct_abc", 9)
        .send()
        .await
        .unwrap_err();

    assert!(err.is_not_found());
    assert_key_hidden(&err);
    let shown = err.to_string();
    assert!(
        shown.contains(
            "`POST /v1/agents/runs/{run_id}/contacts/{contact_id}/actions/{action_index}/approve"
        ),
        "{shown}"
    );
    assert!(
        shown.contains("No proposed action at this index"),
        "{shown}"
    );
}

#[tokio::test]
async fn stream_of_runs_advances_the_offset() {
    let (server, client) = start().await;
    for (offset, n) in [(0usize, 2usize), (2, 1)] {
        let runs: Vec<_> = (offset..offset + n)
            .map(|i| json!({"_id": format!("run_{i}")}))
            .collect();
        authed("GET", "/agents/agt_1/runs")
            .and(query_param("offset", offset.to_string()))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "status": "success", "runs": runs, "total": 3, "limit": 2, "offset": offset
            })))
            .expect(1)
            .mount(&server)
            .await;
    }

    let items = collect(
        client
            .agents()
            .list_runs("agt_1")
            .offset(0)
            .limit(2)
            .stream(),
    )
    .await;

    let ids: Vec<_> = items.into_iter().map(|r| r.unwrap().run_id).collect();
    assert_eq!(ids, ["run_0", "run_1", "run_2"]);
    let sent = requests(&server).await;
    assert_query(&sent[1], &[("offset", "2"), ("limit", "2")]);
}

#[tokio::test]
async fn update_is_idempotent_so_a_503_is_retried_but_trigger_is_not() {
    let (server, client) = start().await;
    authed("PATCH", "/agents/agt_1")
        .respond_with(
            ResponseTemplate::new(503)
                .insert_header("retry-after", "0")
                .set_body_json(error_envelope("Unavailable", json!([]))),
        )
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    authed("PATCH", "/agents/agt_1")
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "status": "success", "agent": {"agent_id": "agt_1", "name": "Renamed"}
        })))
        .expect(1)
        .mount(&server)
        .await;
    authed("POST", "/agents/agt_1/trigger")
        .respond_with(
            ResponseTemplate::new(503)
                .insert_header("retry-after", "0")
                .set_body_json(error_envelope("Unavailable", json!([]))),
        )
        .expect(1)
        .mount(&server)
        .await;

    let agent = client
        .agents()
        .update("agt_1")
        .name("Renamed")
        .send()
        .await
        .unwrap();
    assert_eq!(agent.name.as_deref(), Some("Renamed"));

    let err = client.agents().trigger("agt_1").send().await.unwrap_err();
    assert_eq!(err.status(), Some(503));
    assert_eq!(err.attempts(), Some(1));
    assert_key_hidden(&err);

    let sent = requests(&server).await;
    assert_eq!(sent.len(), 3);
    assert_eq!(json_body(&sent[0]), json!({"name": "Renamed"}));
    assert_eq!(json_body(&sent[1]), json!({"name": "Renamed"}));
    assert_bearer(&sent[1]);
}
