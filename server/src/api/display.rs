//! The call display's data: a snapshot, and a server-sent event stream that sends the board
//! at once and again within moments of every change at the place. Public: tickets and desks
//! only. Browsers' `EventSource` reconnects by itself after a network drop (`retry: 1000`).

use super::error::{ApiError, ErrorBody};
use crate::startup::AppState;
use axum::extract::{Path, State};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::Json;
use domain::queue::DisplayBoard;
use domain::LocationId;
use futures::stream::{self, Stream};
use std::convert::Infallible;
use std::time::Duration;

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
            .map_err(ApiError::from)?,
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
    axum::extract::ConnectInfo(peer): axum::extract::ConnectInfo<std::net::SocketAddr>,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, ApiError> {
    use backend::boards::WatchError;
    // every stream of a place shares one board, computed once per change (backend::boards)
    let watch = state
        .boards
        .watch(LocationId(id), peer.ip())
        .await
        .map_err(|e| match e {
            WatchError::Queue(e) => e.into(),
            WatchError::TooMany => ApiError::too_many_requests(),
        })?;
    let stream = stream::unfold((watch, true), |(mut watch, first)| async move {
        if !first && watch.board.changed().await.is_err() {
            return None;
        }
        let board = watch.board.borrow_and_update().clone();
        Some((Ok(board_event(&board)), (watch, false)))
    });
    Ok(Sse::new(stream).keep_alive(KeepAlive::default()))
}
