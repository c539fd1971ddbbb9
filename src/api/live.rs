//! The live streams of a process and the one reader that feeds them all: it reads every
//! namespace's new events once, when a change is announced (or on a slow timer), and hands them
//! to each stream, so idle streams cost Postgres nothing.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::response::sse::Event as SseEvent;
use futures::Stream;
use tokio::sync::{Notify, broadcast};
use tokio_util::sync::CancellationToken;

use super::events::Event;
use super::state::AppState;
use crate::store::events::{self, EventRow, StreamPosition, StreamRead};

/// Events read at once, by the reader and by a stream catching up.
const PAGE: i64 = 200;

/// How long the reader waits for a wake-up before looking anyway: the fallback for a lost one.
const SLOW_RECHECK: Duration = Duration::from_secs(5);

/// How soon the reader looks again while a committed event is held back behind a transaction
/// still running (which may end without announcing anything).
const HELD_BACK_RECHECK: Duration = Duration::from_millis(100);

/// Batches a stream may fall behind before it reads for itself.
const BACKLOG: usize = 256;

/// Everything one read of the reader found: every event of every namespace in `(after, upto]`.
#[derive(Debug)]
pub struct Batch {
    after: StreamPosition,
    upto: StreamPosition,
    events: Vec<(StreamPosition, EventRow)>,
}

/// The live streams' shared feed; one per process, in [`AppState`].
#[derive(Debug)]
pub struct Feed {
    batches: broadcast::Sender<Arc<Batch>>,
    joined: Notify,
}

impl Default for Feed {
    fn default() -> Self {
        Feed {
            batches: broadcast::channel(BACKLOG).0,
            joined: Notify::new(),
        }
    }
}

impl Feed {
    fn subscribe(&self) -> broadcast::Receiver<Arc<Batch>> {
        let receiver = self.batches.subscribe();
        self.joined.notify_one();
        receiver
    }
}

/// Reads new events for every live stream of the process until `shutdown`: on each announced
/// change, on a slow timer, and soon again while an event is held back. Idle while no stream
/// is open.
pub async fn feed_streams(state: AppState, shutdown: CancellationToken) {
    let feed = &state.live;
    let mut changes = state.changes.subscribe();
    let mut position: Option<StreamPosition> = None;
    while !shutdown.is_cancelled() {
        if feed.batches.receiver_count() == 0 {
            position = None;
            let _ = shutdown.run_until_cancelled(feed.joined.notified()).await;
            continue;
        }
        let held_back = match read_all(&state, &mut position).await {
            Ok(held_back) => held_back,
            Err(err) => {
                tracing::warn!(error = %err, "live streams could not read; retrying");
                true
            }
        };
        let wait = if held_back {
            HELD_BACK_RECHECK
        } else {
            SLOW_RECHECK
        };
        // Any change (or a lagged receiver), or a new stream, is a reason to look again.
        let woken = async {
            tokio::select! {
                _ = changes.recv() => {}
                _ = feed.joined.notified() => {}
            }
        };
        let _ = shutdown
            .run_until_cancelled(tokio::time::timeout(wait, woken))
            .await;
    }
}

/// Reads everything new since `position` and hands it to the streams; whether an event is held
/// back.
async fn read_all(
    state: &AppState,
    position: &mut Option<StreamPosition>,
) -> Result<bool, sqlx::Error> {
    let mut conn = state.pool.acquire().await?;
    let mut from = match *position {
        Some(from) => from,
        // Streams read what came before the reader started for themselves.
        None => events::stream_head(&mut *conn).await?,
    };
    loop {
        let StreamRead {
            events,
            upto,
            held_back,
        } = events::read_stream(&mut conn, None, from, PAGE).await?;
        let full = events.len() as i64 == PAGE;
        if upto > from {
            let _ = state.live.batches.send(Arc::new(Batch {
                after: from,
                upto,
                events,
            }));
            from = upto;
        }
        *position = Some(from);
        if !full {
            return Ok(held_back);
        }
    }
}

/// The live stream of `namespace` from `from` on: first what it must catch up on, read for
/// itself, then what the reader hands it. A stream that falls behind the reader (a gap or a
/// lagged feed) reads for itself again, so none misses an event or sees one twice.
pub fn stream(
    state: AppState,
    namespace: String,
    mut from: StreamPosition,
) -> impl Stream<Item = Result<SseEvent, Infallible>> {
    let mut batches = state.live.subscribe();
    async_stream::stream! {
        let mut catch_up = true;
        while !state.shutdown.is_cancelled() {
            if catch_up {
                match catch_up_from(&state, &namespace, from).await {
                    Ok(read) => {
                        for (position, row) in read.events {
                            from = position;
                            yield Ok(sse(row));
                        }
                        from = from.max(read.upto);
                        catch_up = read.events_left;
                    }
                    Err(err) => {
                        tracing::warn!(error = %err, "event stream could not read; retrying");
                        let _ = state.shutdown.run_until_cancelled(tokio::time::sleep(HELD_BACK_RECHECK)).await;
                    }
                }
                continue;
            }
            let Some(next) = state.shutdown.run_until_cancelled(batches.recv()).await else {
                break;
            };
            match next {
                Ok(batch) if batch.upto <= from => {}
                // Events between where this stream is and where the batch starts: read them.
                Ok(batch) if batch.after > from => catch_up = true,
                Ok(batch) => {
                    let mine = batch.events.iter().filter(|(position, row)| {
                        *position > from && row.namespace == namespace
                    });
                    for (_, row) in mine {
                        yield Ok(sse(row.clone()));
                    }
                    from = batch.upto;
                }
                Err(broadcast::error::RecvError::Lagged(_)) => catch_up = true,
                Err(broadcast::error::RecvError::Closed) => break,
            }
        }
    }
}

/// A stream's own read: its namespace's events after `from`, and whether a full page left more.
struct CatchUp {
    events: Vec<(StreamPosition, EventRow)>,
    upto: StreamPosition,
    events_left: bool,
}

async fn catch_up_from(
    state: &AppState,
    namespace: &str,
    from: StreamPosition,
) -> Result<CatchUp, sqlx::Error> {
    let mut conn = state.pool.acquire().await?;
    let read = events::read_stream(&mut conn, Some(namespace), from, PAGE).await?;
    Ok(CatchUp {
        events_left: read.events.len() as i64 == PAGE,
        events: read.events,
        upto: read.upto,
    })
}

fn sse(row: EventRow) -> SseEvent {
    let event = SseEvent::default()
        .id(row.id.to_string())
        .event(row.kind.clone());
    event.json_data(Event::from(row)).expect("events serialize")
}
