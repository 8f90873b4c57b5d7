-- Which hub replica holds a gateway's MQTT connection now (README, "Fleet liveness and /health"), so that every
-- replica answers "online" alike for a gateway connected to any of them: set by the replica it connects to, cleared
-- by that replica when the connection ends (never by another). NULL: connected to none. Unused by a single hub.
ALTER TABLE fleet_gateway_contact ADD COLUMN connected_replica TEXT;
