/**
 * Forwarding to the school management system (issue 8): Standard Webhooks signing, the durable outbox
 * of deliveries with retries and dead letters ({@link org.smartschool.hub.forward.WebhookDispatcher}),
 * the bodies of alarm and attendance events, and the Ed-Fi connector in {@code forward.edfi}.
 */
package org.smartschool.hub.forward;
