/**
 * Forwarding to the school management system: Standard Webhooks signing (more to come: the
 * durable outbox of deliveries, retries, dead letters, the Ed-Fi connector; issue 8).
 */
package org.smartschool.hub.forward;
