-- Webhook lines (issue 9: 500 attendance decisions/s to the SMS): a subscription's deliveries go out one
-- at a time per (school, line) instead of per school. An alarm's line is '' (a school's alarm steps stay
-- in one order, docs/webhooks.md); an attendance event's line is its learner (a learner's decisions stay
-- in order, different learners go out side by side). Rows queued before this migration keep line ''.
ALTER TABLE webhook_delivery ADD COLUMN line TEXT NOT NULL DEFAULT '';
DROP INDEX webhook_delivery_line;
CREATE INDEX webhook_delivery_line_head ON webhook_delivery (subscription_id, school, line, state, seq);
