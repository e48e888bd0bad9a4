//! The call display's data: a snapshot, and a server-sent event stream that sends the board
//! at once and again within moments of every change at the place. Public: tickets and desks
//! only. Browsers' `EventSource` reconnects by itself after a network drop (`retry: 1000`).

use super::error::{ApiError, ErrorBody};
use super::staff::queue_error;
use crate::startup::AppState;
use axum::extract::{Path, State};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::Json;
use backend::events::Event as QueueEvent;
use domain::queue::DisplayBoard;
use domain::LocationId;
use futures::stream::{self, Stream};
use std::convert::Infallible;
use std::time::Duration;
use tokio::sync::broadcast::error::RecvError;

/// The board of a place now.
#[utoipa::path(get, path = "/api/v1/display/{location_id}", tag = "display",
    params(("location_id" = i64, Path, description = "Place id")),
    responses((status = 200, description = "Tickets being called, the next ones, waiting time"), (status = 404, body = ErrorBody)))]
pub async fn snapshot(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Json<DisplayBoard>, ApiError> {
    Ok(Json(
        state
            .queues
            .display(LocationId(id))
            .await
            .map_err(queue_error)?,
    ))
}

fn board_event(board: &DisplayBoard) -> Event {
    Event::default()
        .event("board")
        .retry(Duration::from_secs(1))
        .json_data(board)
        .unwrap_or_else(|_| Event::default().comment("unserialisable board"))
}

/// The display's event stream: a `board` event now and after every change.
#[utoipa::path(get, path = "/api/v1/display/{location_id}/events", tag = "display",
    params(("location_id" = i64, Path, description = "Place id")),
    responses((status = 200, description = "text/event-stream of `board` events (JSON)"), (status = 404, body = ErrorBody)))]
pub async fn events(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, ApiError> {
    let place = LocationId(id);
    let first = state.queues.display(place).await.map_err(queue_error)?;
    let changes = state.queues.subscribe();
    let queues = state.queues.clone();
    let stream = stream::unfold((Some(first), changes), move |(pending, mut changes)| {
        let queues = queues.clone();
        async move {
            if let Some(board) = pending {
                return Some((Ok(board_event(&board)), (None, changes)));
            }
            loop {
                match changes.recv().await {
                    Ok(QueueEvent::QueueChanged(id)) if id == place => break,
                    // events may have been missed (another instance's connection dropped)
                    Ok(QueueEvent::Resync) => break,
                    Ok(_) => continue,
                    // missed some: send the current board anyway
                    Err(RecvError::Lagged(_)) => break,
                    Err(RecvError::Closed) => return None,
                }
            }
            // on a failure the stream ends and the browser reconnects
            let board = queues.display(place).await.ok()?;
            Some((Ok(board_event(&board)), (None, changes)))
        }
    });
    Ok(Sse::new(stream).keep_alive(KeepAlive::default()))
}
