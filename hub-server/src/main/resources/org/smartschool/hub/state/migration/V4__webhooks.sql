-- Forwarding to the school management system (issue 8): webhook subscriptions and the durable
-- outbox of deliveries. One file for SQLite and PostgreSQL; times are UTC epoch milliseconds.

CREATE TABLE webhook_subscription (
    id              TEXT   PRIMARY KEY,
    url             TEXT   NOT NULL,
    school          TEXT,
    event_types     TEXT   NOT NULL,
    min_severity    TEXT,
    -- the active whsec_ secrets, space-separated (two while rotating): HMAC needs the key itself
    secrets         TEXT   NOT NULL,
    disabled_reason TEXT,
    created_at      BIGINT NOT NULL
);

-- seq orders the deliveries of one (subscription, school); a webhook id goes once to a subscription
CREATE TABLE webhook_delivery (
    seq             BIGINT  PRIMARY KEY,
    subscription_id TEXT    NOT NULL,
    school          TEXT    NOT NULL,
    webhook_id      TEXT    NOT NULL,
    event_type      TEXT    NOT NULL,
    body            TEXT    NOT NULL,
    created_at      BIGINT  NOT NULL,
    attempts        INTEGER NOT NULL,
    next_attempt_at BIGINT  NOT NULL,
    lease_until     BIGINT,
    state           TEXT    NOT NULL,
    last_status     INTEGER NOT NULL,
    last_error      TEXT,
    delivered_at    BIGINT,
    UNIQUE (subscription_id, webhook_id)
);
CREATE INDEX webhook_delivery_line ON webhook_delivery (subscription_id, school, state, seq);
CREATE INDEX webhook_delivery_due ON webhook_delivery (state, next_attempt_at);
