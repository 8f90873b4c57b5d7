package org.smartschool.hub.forward;

import java.net.URI;
import java.util.List;
import java.util.Set;

import org.smartschool.bridge.alarm.Severity;

/**
 * Where the school management system wants events: an HTTP endpoint, for one school or the whole
 * district, for some event types, from some severity up.
 *
 * @param school the school whose events it gets; null for every school of the district
 * @param eventTypes event types ({@code alarm.raised}) or prefixes ending in {@code *} ({@code alarm.*});
 *                   {@code *} for all
 * @param minSeverity the least severity of alarm events it gets; null for all (other events always pass)
 * @param secrets the active signing secrets: one, or two while it rotates (the newest last)
 * @param disabledReason why it was switched off (an HTTP 410 from the endpoint, an operator), null while active
 */
public record WebhookSubscription(String id, URI url, String school, Set<String> eventTypes, Severity minSeverity,
                                  List<WebhookSecret> secrets, String disabledReason, long createdAt) {

    public WebhookSubscription {
        if (id == null || !id.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new IllegalArgumentException("a subscription id must be 1-64 of A-Z, a-z, 0-9, '.', '_', '-'");
        }
        if (url == null || !("http".equals(url.getScheme()) || "https".equals(url.getScheme())) || url.getHost() == null) {
            throw new IllegalArgumentException("a webhook url must be an absolute http:// or https:// URL");
        }
        // sorted: listed and stored the same way every time
        eventTypes = java.util.Collections.unmodifiableSortedSet(
                new java.util.TreeSet<>(eventTypes == null || eventTypes.isEmpty() ? Set.of("*") : eventTypes));
        if (secrets == null || secrets.isEmpty() || secrets.size() > 2) {
            throw new IllegalArgumentException("a subscription has one signing secret, or two while it rotates");
        }
        secrets = List.copyOf(secrets);
    }

    public boolean active() {
        return disabledReason == null;
    }

    /** Whether an event of this school, type and severity (null when it has none) goes to this endpoint. */
    public boolean wants(String eventSchool, String type, Severity severity) {
        if (school != null && !school.equals(eventSchool)) {
            return false;
        }
        if (minSeverity != null && severity != null && severity.compareTo(minSeverity) < 0) {
            return false;
        }
        for (String pattern : eventTypes) {
            if (pattern.endsWith("*") ? type.startsWith(pattern.substring(0, pattern.length() - 1)) : type.equals(pattern)) {
                return true;
            }
        }
        return false;
    }
}
