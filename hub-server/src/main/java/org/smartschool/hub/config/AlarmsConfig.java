package org.smartschool.hub.config;

import java.util.Objects;

/**
 * Alarms and their forwarding to the school management system (README, "Alarms and webhooks").
 *
 * @param escalateAfterMinutes   an alarm nobody acknowledged within this is escalated (once)
 * @param webhookTimeoutSeconds  how long a webhook endpoint may take to answer one delivery
 * @param webhookRetryHours      how long a delivery is retried before it becomes a dead letter
 * @param webhookPollMillis      how often the queue of deliveries is looked at
 * @param hubRules               the hub's own rules: outbox backlog, data completeness, security signals
 */
public record AlarmsConfig(int escalateAfterMinutes, int webhookTimeoutSeconds, int webhookRetryHours,
                           int webhookPollMillis, HubRulesConfig hubRules) {
    public static final AlarmsConfig DEFAULT = new AlarmsConfig(15, 10, 24, 200);

    /** With the hub rules' defaults. */
    public AlarmsConfig(int escalateAfterMinutes, int webhookTimeoutSeconds, int webhookRetryHours,
                        int webhookPollMillis) {
        this(escalateAfterMinutes, webhookTimeoutSeconds, webhookRetryHours, webhookPollMillis, HubRulesConfig.DEFAULT);
    }

    public AlarmsConfig {
        hubRules = Objects.requireNonNullElse(hubRules, HubRulesConfig.DEFAULT);
        require("alarms.escalateAfterMinutes", escalateAfterMinutes, 1, 7 * 24 * 60);
        require("alarms.webhookTimeoutSeconds", webhookTimeoutSeconds, 1, 120);
        require("alarms.webhookRetryHours", webhookRetryHours, 1, 7 * 24);
        require("alarms.webhookPollMillis", webhookPollMillis, 10, 60_000);
    }

    public AlarmsConfig withHubRules(HubRulesConfig rules) {
        return new AlarmsConfig(escalateAfterMinutes, webhookTimeoutSeconds, webhookRetryHours, webhookPollMillis, rules);
    }

    private static void require(String key, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(key + " must be between " + min + " and " + max + ": " + value);
        }
    }
}
