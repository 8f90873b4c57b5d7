package org.smartschool.hub.config;

/**
 * Alarms and their forwarding to the school management system (README, "Alarms and webhooks").
 *
 * @param escalateAfterMinutes   an alarm nobody acknowledged within this is escalated (once)
 * @param webhookTimeoutSeconds  how long a webhook endpoint may take to answer one delivery
 * @param webhookRetryHours      how long a delivery is retried before it becomes a dead letter
 * @param webhookPollMillis      how often the queue of deliveries is looked at
 */
public record AlarmsConfig(int escalateAfterMinutes, int webhookTimeoutSeconds, int webhookRetryHours,
                           int webhookPollMillis) {
    public static final AlarmsConfig DEFAULT = new AlarmsConfig(15, 10, 24, 200);

    public AlarmsConfig {
        require("alarms.escalateAfterMinutes", escalateAfterMinutes, 1, 7 * 24 * 60);
        require("alarms.webhookTimeoutSeconds", webhookTimeoutSeconds, 1, 120);
        require("alarms.webhookRetryHours", webhookRetryHours, 1, 7 * 24);
        require("alarms.webhookPollMillis", webhookPollMillis, 10, 60_000);
    }

    private static void require(String key, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(key + " must be between " + min + " and " + max + ": " + value);
        }
    }
}
