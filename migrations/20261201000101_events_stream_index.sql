-- The one reader that feeds every live stream of a process reads all namespaces' events in
-- stream order: (transaction, id), held back behind running transactions.
create index events_stream_idx on events (tx_id, id);
