//! Live events between the parts of the portal and, with PostgreSQL, between server
//! instances: a queue changed (display screens and staff pages reload), places, a place's
//! closures or holiday years changed (in-memory copies are dropped).
//!
//! With one instance an event is a message on an in-process broadcast channel. With several
//! instances on PostgreSQL an event is a `NOTIFY portal_events`, and every instance (the
//! sender too) `LISTEN`s and passes what arrives to its own broadcast channel, so a screen
//! connected to instance A sees a call made on instance B. If the listening connection is
//! lost, notifications sent meanwhile are lost too: on reconnecting, [`Event::Resync`] tells
//! everyone to reload.

use domain::LocationId;
use sqlx::postgres::{PgListener, PgPool};
use std::sync::Arc;
use tokio::sync::broadcast;

/// The PostgreSQL channel the instances talk on.
const CHANNEL: &str = "portal_events";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// Something changed in a place's queue.
    QueueChanged(LocationId),
    /// Places, services or schedules changed.
    PlacesChanged,
    /// A place's closures or extra sessions changed (a day was closed).
    SchedulesChanged(LocationId),
    /// A holiday year was loaded.
    HolidaysChanged,
    /// Events may have been missed: reload everything.
    Resync,
}

impl Event {
    /// The NOTIFY payload: `queue:12`, `places`, `holidays`.
    fn payload(self) -> String {
        match self {
            Event::QueueChanged(id) => format!("queue:{}", id.0),
            Event::PlacesChanged => "places".into(),
            Event::SchedulesChanged(id) => format!("schedules:{}", id.0),
            Event::HolidaysChanged => "holidays".into(),
            Event::Resync => "resync".into(),
        }
    }

    fn parse(payload: &str) -> Option<Event> {
        match payload {
            "places" => Some(Event::PlacesChanged),
            "holidays" => Some(Event::HolidaysChanged),
            "resync" => Some(Event::Resync),
            other => {
                if let Some(id) = other.strip_prefix("schedules:") {
                    return id
                        .parse()
                        .ok()
                        .map(|id| Event::SchedulesChanged(LocationId(id)));
                }
                other
                    .strip_prefix("queue:")?
                    .parse()
                    .ok()
                    .map(|id| Event::QueueChanged(LocationId(id)))
            }
        }
    }
}

/// Cheap to clone (one reference count): the use cases hold it and are cloned per request.
#[derive(Clone)]
pub struct Events(Arc<Channels>);

struct Channels {
    local: broadcast::Sender<Event>,
    /// Set when events go through PostgreSQL to every instance.
    relay: Option<PgPool>,
}

impl Events {
    /// Events inside this process only (one instance, or SQLite).
    pub fn in_process() -> Self {
        let (local, _) = broadcast::channel(1024);
        Events(Arc::new(Channels { local, relay: None }))
    }

    /// Events shared by every instance on the database behind `pool`. Returns once this
    /// instance is listening, so nothing published after start-up is missed.
    pub async fn across_instances(pool: PgPool) -> Result<Self, sqlx::Error> {
        let mut listener = PgListener::connect_with(&pool).await?;
        listener.listen(CHANNEL).await?;
        let (local, _) = broadcast::channel(1024);
        tokio::spawn(relay_notifications(listener, local.clone()));
        Ok(Events(Arc::new(Channels {
            local,
            relay: Some(pool),
        })))
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Event> {
        self.0.local.subscribe()
    }

    /// Tells every listener, on every instance. Never waits: a lost event costs a screen a
    /// late refresh, never a booking.
    pub fn publish(&self, event: Event) {
        match &self.0.relay {
            None => {
                // nobody listening is fine
                let _ = self.0.local.send(event);
            }
            Some(pool) => {
                let pool = pool.clone();
                tokio::spawn(async move {
                    let sent = sqlx::query("SELECT pg_notify($1, $2)")
                        .bind(CHANNEL)
                        .bind(event.payload())
                        .execute(&pool)
                        .await;
                    if let Err(e) = sent {
                        tracing::warn!(error = %e, ?event, "event not sent to other instances");
                    }
                });
            }
        }
    }
}

async fn relay_notifications(mut listener: PgListener, local: broadcast::Sender<Event>) {
    loop {
        match listener.try_recv().await {
            Ok(Some(n)) => match Event::parse(n.payload()) {
                Some(e) => {
                    let _ = local.send(e);
                }
                None => tracing::warn!(payload = n.payload(), "unknown event"),
            },
            // the connection was lost and is being re-established: events may be missing
            Ok(None) => {
                tracing::warn!("event listener reconnecting");
                let _ = local.send(Event::Resync);
            }
            Err(e) => {
                tracing::error!(error = %e, "event listener failed; retrying");
                tokio::time::sleep(std::time::Duration::from_secs(1)).await;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payloads_round_trip() {
        for e in [
            Event::QueueChanged(LocationId(1203)),
            Event::PlacesChanged,
            Event::SchedulesChanged(LocationId(42)),
            Event::HolidaysChanged,
            Event::Resync,
        ] {
            assert_eq!(Event::parse(&e.payload()), Some(e));
        }
        assert_eq!(Event::parse("queue:x"), None);
        assert_eq!(Event::parse("schedules:"), None);
        assert_eq!(Event::parse("other"), None);
    }

    #[tokio::test]
    async fn in_process_events_reach_every_subscriber() {
        let events = Events::in_process();
        let (mut a, mut b) = (events.subscribe(), events.subscribe());
        events.publish(Event::QueueChanged(LocationId(7)));
        assert_eq!(a.recv().await.unwrap(), Event::QueueChanged(LocationId(7)));
        assert_eq!(b.recv().await.unwrap(), Event::QueueChanged(LocationId(7)));
    }
}
