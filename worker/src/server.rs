//! The HTTP API: the validator protocol of [`smartnodes_primitives::dispatch`] (SCALE bodies),
//! plus job status and outputs for users, metrics and a health check.
//!
//! | Request | Answer |
//! | --- | --- |
//! | `POST /v1/jobs` ([`JobOrder`]) | `202` accepted, `200` accepted before; `400`, `409`, `413`, `503` |
//! | `GET /v1/jobs/<id>` | `200` the job's state as JSON; `404` |
//! | `GET /v1/jobs/<id>/commit` | `200` [`CommitReply`], `202` running; `404`, `409` no result |
//! | `GET /v1/jobs/<id>/reveal` | `200` [`RevealReply`] once the chain opened reveals; `404`, `409` |
//! | `GET /v1/jobs/<id>/output` | `200` the output once the chain completed the job with it; `404`, `409`; any origin may read it (CORS), so a web page can fetch it |
//! | `POST /v1/challenge` ([`Challenge`]) | `200` [`ChallengeReply`]; `400`, `413` |
//! | `GET /metrics` | Prometheus text |
//! | `GET /healthz` | `200 ok` |
//!
//! Errors are plain text saying why.

#[cfg(doc)]
use smartnodes_primitives::dispatch::{ChallengeReply, CommitReply, RevealReply};

use crate::{
	daemon::Worker,
	jobs::{Accepted, Refusal},
	Error, Result,
};
use axum::{
	body::Bytes,
	extract::{DefaultBodyLimit, Path, State},
	http::{header, HeaderValue, StatusCode},
	response::{IntoResponse, Response},
	routing::{get, post},
	Router,
};
use codec::{DecodeAll, Encode};
use smartnodes_primitives::{
	compute::JobId,
	dispatch::{Challenge, JobOrder, CONTENT_TYPE},
};
use std::sync::Arc;
use tokio::{net::TcpListener, sync::watch};

type Shared = State<Arc<Worker>>;

/// The API's routes, over `worker`.
pub fn router(worker: Arc<Worker>) -> Router {
	let limit = worker.config.max_body_bytes;
	Router::new()
		.route("/v1/jobs", post(accept))
		.route("/v1/jobs/{id}", get(status))
		.route("/v1/jobs/{id}/commit", get(commit))
		.route("/v1/jobs/{id}/reveal", get(reveal))
		.route("/v1/jobs/{id}/output", get(output))
		.route("/v1/challenge", post(challenge))
		.route("/metrics", get(metrics))
		.route("/healthz", get(healthz))
		.fallback(|| async { text(StatusCode::NOT_FOUND, "no such route (see docs/worker.md)") })
		.layer(DefaultBodyLimit::max(limit))
		.with_state(worker)
}

/// Serves the API on `listener` until `stop` turns true; open requests are finished first.
pub async fn serve(
	listener: TcpListener,
	worker: Arc<Worker>,
	mut stop: watch::Receiver<bool>,
) -> Result<()> {
	axum::serve(listener, router(worker))
		.with_graceful_shutdown(async move {
			let _ = stop.wait_for(|stopping| *stopping).await;
		})
		.await
		.map_err(|e| Error::Server(e.to_string()))
}

fn text(status: StatusCode, message: impl Into<String>) -> Response {
	let mut message = message.into();
	message.push('\n');
	(status, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], message).into_response()
}

fn scale(status: StatusCode, body: &impl Encode) -> Response {
	(status, [(header::CONTENT_TYPE, CONTENT_TYPE)], body.encode()).into_response()
}

fn refusal(refusal: Refusal) -> Response {
	match refusal {
		Refusal::Unknown(why) => text(StatusCode::NOT_FOUND, why),
		Refusal::Conflict(why) => text(StatusCode::CONFLICT, why),
		Refusal::Node(why) => text(StatusCode::SERVICE_UNAVAILABLE, why),
		Refusal::Internal(why) => text(StatusCode::INTERNAL_SERVER_ERROR, why),
	}
}

fn malformed(what: &str, e: codec::Error) -> Response {
	text(StatusCode::BAD_REQUEST, format!("the body is not a SCALE-encoded {what}: {e}"))
}

async fn accept(State(worker): Shared, body: Bytes) -> Response {
	let order = match JobOrder::decode_all(&mut &body[..]) {
		Ok(order) => order,
		Err(e) => {
			worker.metrics.jobs_refused.with_label_values(&["malformed"]).inc();
			return malformed("JobOrder", e);
		},
	};
	let id = order.job;
	match worker.accept(order).await {
		Ok(Accepted::New) => text(StatusCode::ACCEPTED, format!("job {id} accepted")),
		Ok(Accepted::Again) => text(StatusCode::OK, format!("job {id} was accepted before")),
		Err(why) => refusal(why),
	}
}

async fn status(State(worker): Shared, Path(id): Path<JobId>) -> Response {
	match worker.status(id) {
		Some(status) => {
			(StatusCode::OK, [(header::CONTENT_TYPE, "application/json")], format!("{status:#}\n"))
				.into_response()
		},
		None => text(StatusCode::NOT_FOUND, format!("this worker has no job {id}")),
	}
}

async fn commit(State(worker): Shared, Path(id): Path<JobId>) -> Response {
	match worker.commit(id) {
		Ok(Some(reply)) => scale(StatusCode::OK, &reply),
		Ok(None) => text(StatusCode::ACCEPTED, format!("job {id} is still running")),
		Err(why) => refusal(why),
	}
}

async fn reveal(State(worker): Shared, Path(id): Path<JobId>) -> Response {
	match worker.reveal(id).await {
		Ok(reply) => scale(StatusCode::OK, &reply),
		Err(why) => refusal(why),
	}
}

async fn output(State(worker): Shared, Path(id): Path<JobId>) -> Response {
	let mut response = match worker.output(id).await {
		Ok(bytes) => (StatusCode::OK, [(header::CONTENT_TYPE, "application/octet-stream")], bytes)
			.into_response(),
		Err(why) => refusal(why),
	};
	// An output is public once the chain completed the job with it (its hash is on chain), so
	// any web page, the dashboard or a dApp, may read it, and read why it cannot yet.
	response
		.headers_mut()
		.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
	response
}

async fn challenge(State(worker): Shared, body: Bytes) -> Response {
	let challenge = match Challenge::decode_all(&mut &body[..]) {
		Ok(challenge) => challenge,
		Err(e) => return malformed("Challenge", e),
	};
	match worker.challenge(challenge).await {
		Ok(reply) => scale(StatusCode::OK, &reply),
		Err(e) => text(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
	}
}

async fn metrics(State(worker): Shared) -> Response {
	(
		StatusCode::OK,
		[(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")],
		worker.metrics.render(),
	)
		.into_response()
}

async fn healthz() -> Response {
	text(StatusCode::OK, "ok")
}
