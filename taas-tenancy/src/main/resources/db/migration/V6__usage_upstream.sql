-- The upstream's share of a request's time (the console's request detail): from the call to the upstream's reply,
-- a stream's head for streams; null when no upstream was called (a refusal, a cache hit).
ALTER TABLE usage_events ADD COLUMN upstream_ms DOUBLE PRECISION;
