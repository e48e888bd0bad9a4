//! Live call-display boards. Every open display stream of a place shares one board: it is
//! computed once per change at that place by one task, which ends when the last stream
//! closes, instead of once per change per stream. Streams are capped per client (IPv6: per
//! /64) and overall, and a refused or failed request leaves no entry behind.

use crate::queue::{QueueError, Queues};
use crate::throttle::client_key;
use domain::queue::DisplayBoard;
use domain::LocationId;
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use tokio::sync::broadcast::error::RecvError;
use tokio::sync::watch;

/// Streams one client may hold open (an office's screens behind one address, a few phones).
pub const MAX_STREAMS_PER_CLIENT: usize = 8;
/// Streams of the whole instance (a district has a few hundred places).
pub const MAX_STREAMS: usize = 1000;

#[derive(Debug, thiserror::Error)]
pub enum WatchError {
    #[error("{0}")]
    Queue(#[from] QueueError),
    /// Over the per-client or the overall limit of open streams.
    #[error("too many open display streams")]
    TooMany,
}

#[derive(Default)]
struct Open {
    places: HashMap<LocationId, watch::Sender<Arc<DisplayBoard>>>,
    per_client: HashMap<IpAddr, usize>,
    total: usize,
}

#[derive(Clone)]
pub struct Boards {
    queues: Queues,
    open: Arc<Mutex<Open>>,
}

/// One open stream: the place's shared board, and its place in the counts until dropped.
pub struct BoardWatch {
    pub board: watch::Receiver<Arc<DisplayBoard>>,
    _slot: StreamSlot,
}

struct StreamSlot {
    open: Arc<Mutex<Open>>,
    client: IpAddr,
}

impl Drop for StreamSlot {
    fn drop(&mut self) {
        let mut open = self.open.lock().unwrap_or_else(|p| p.into_inner());
        open.total = open.total.saturating_sub(1);
        if let Some(n) = open.per_client.get_mut(&self.client) {
            *n -= 1;
            if *n == 0 {
                open.per_client.remove(&self.client);
            }
        }
    }
}

impl Boards {
    pub fn new(queues: Queues) -> Self {
        Boards {
            queues,
            open: Arc::default(),
        }
    }

    fn take_slot(&self, client: IpAddr) -> Result<StreamSlot, WatchError> {
        let client = client_key(client);
        let mut open = self.open.lock().unwrap_or_else(|p| p.into_inner());
        let mine = open.per_client.get(&client).copied().unwrap_or(0);
        if open.total >= MAX_STREAMS || mine >= MAX_STREAMS_PER_CLIENT {
            return Err(WatchError::TooMany);
        }
        open.total += 1;
        *open.per_client.entry(client).or_default() += 1;
        Ok(StreamSlot {
            open: self.open.clone(),
            client,
        })
    }

    /// The shared board of `place` for a new stream from `client`.
    pub async fn watch(&self, place: LocationId, client: IpAddr) -> Result<BoardWatch, WatchError> {
        let slot = self.take_slot(client)?;
        let existing = {
            let open = self.open.lock().unwrap_or_else(|p| p.into_inner());
            open.places.get(&place).map(|tx| tx.subscribe())
        };
        if let Some(board) = existing {
            return Ok(BoardWatch { board, _slot: slot });
        }
        // an unknown place fails here, before anything is kept for it (the slot is dropped)
        let first = Arc::new(self.queues.display(place).await?);
        let board = {
            let mut open = self.open.lock().unwrap_or_else(|p| p.into_inner());
            match open.places.get(&place) {
                // another stream of this place started meanwhile
                Some(tx) => tx.subscribe(),
                None => {
                    let (tx, rx) = watch::channel(first);
                    open.places.insert(place, tx.clone());
                    self.spawn_follower(place, tx);
                    rx
                }
            }
        };
        Ok(BoardWatch { board, _slot: slot })
    }

    /// Recomputes `place`'s board after each change there, until its last stream closes.
    fn spawn_follower(&self, place: LocationId, tx: watch::Sender<Arc<DisplayBoard>>) {
        let queues = self.queues.clone();
        let open = self.open.clone();
        let mut changes = Some(queues.subscribe());
        tokio::spawn(async move {
            loop {
                let changed = tokio::select! {
                    _ = tx.closed() => {
                        // under the lock, so that no new stream subscribes in between
                        let mut open = open.lock().unwrap_or_else(|p| p.into_inner());
                        if tx.receiver_count() == 0 {
                            if open.places.get(&place).is_some_and(|t| t.same_channel(&tx)) {
                                open.places.remove(&place);
                            }
                            break;
                        }
                        false
                    }
                    event = async {
                        match changes.as_mut() {
                            Some(c) => c.recv().await,
                            None => std::future::pending().await,
                        }
                    } => match event {
                        Ok(crate::events::Event::QueueChanged(id)) => id == place,
                        // events may have been missed: send the current board anyway
                        Ok(crate::events::Event::Resync) | Err(RecvError::Lagged(_)) => true,
                        Ok(_) => false,
                        // no more changes will come: keep the board until the streams close
                        Err(RecvError::Closed) => {
                            changes = None;
                            false
                        }
                    },
                };
                if changed {
                    match queues.display(place).await {
                        // a board that looks the same is not sent: a change the board does
                        // not show (a psychology check-in) must not make the screen chime
                        Ok(board) => {
                            tx.send_if_modified(|current| {
                                let changed = **current != board;
                                if changed {
                                    *current = Arc::new(board);
                                }
                                changed
                            });
                        }
                        Err(e) => tracing::warn!(error = %e, place = place.0, "display board"),
                    }
                }
            }
        });
    }
}
