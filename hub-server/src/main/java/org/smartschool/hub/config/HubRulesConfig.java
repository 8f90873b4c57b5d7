package org.smartschool.hub.config;

import org.smartschool.bridge.model.Ids;

/**
 * The hub's own alarm rules on what only the centre sees (README, "Alarms and webhooks", hub-side rules): a
 * gateway's outbox backlog, a school's data completeness, repeated authentication failures and security signals
 * from one school. Keys live under {@code alarms.hubRules}.
 *
 * @param checkSeconds              how often the rules that clear after time or judge a window are evaluated
 * @param districtSchool            the school id of district-level alarms (authentication failures of gateway ids
 *                                  no school owns); must not be a real school's id
 * @param backlogRaiseMinutes       {@code gateway-backlog} is raised when the outbox's oldest record is this old...
 * @param backlogGrowingReports     ...and the age or the record count rose in this many consecutive health reports
 * @param backlogClearMinutes       and cleared once the oldest record is at most this old (or the outbox is empty)
 * @param completenessWindowMinutes {@code data-completeness} judges the share of expected readings stored over this
 * @param completenessRaisePercent  raised below this share
 * @param completenessClearPercent  cleared at or above this share (hysteresis: above the raise level)
 * @param authFailureLimit          {@code auth-failures}: this many refused CONNECTs of one claimed gateway id...
 * @param authFailureWindowMinutes  ...within this window
 * @param authFailureDistrictLimit  refused CONNECTs of unknown gateway ids, all together, within the same window
 * @param authFailureTrackedIds     unknown gateway ids counted one by one at most (an attacker chooses them)
 * @param securityEventLimit        {@code school-security}: unknown-device messages plus refused topics of one school...
 * @param securityWindowMinutes     ...within this window
 * @param quietMinutes              {@code auth-failures} and {@code school-security} clear after this long without a new one
 */
public record HubRulesConfig(int checkSeconds, String districtSchool, int backlogRaiseMinutes, int backlogGrowingReports,
                             int backlogClearMinutes, int completenessWindowMinutes, int completenessRaisePercent,
                             int completenessClearPercent, int authFailureLimit, int authFailureWindowMinutes,
                             int authFailureDistrictLimit, int authFailureTrackedIds, int securityEventLimit,
                             int securityWindowMinutes, int quietMinutes) {
    public static final HubRulesConfig DEFAULT = new HubRulesConfig(30, "district", 15, 3, 5, 60, 80, 90, 10, 10, 50,
            200, 20, 10, 30);
    private static final String P = "alarms.hubRules.";
    private static final int WEEK_MINUTES = 7 * 24 * 60;

    public HubRulesConfig {
        require("checkSeconds", checkSeconds, 1, 3600);
        if (districtSchool == null || !Ids.isValid(districtSchool)) {
            throw new IllegalArgumentException(P + "districtSchool must be an id (1-64 letters, digits, '.', '_' or '-'): "
                    + districtSchool);
        }
        require("backlogRaiseMinutes", backlogRaiseMinutes, 1, WEEK_MINUTES);
        require("backlogGrowingReports", backlogGrowingReports, 1, 100);
        require("backlogClearMinutes", backlogClearMinutes, 0, WEEK_MINUTES);
        if (backlogClearMinutes >= backlogRaiseMinutes) {
            throw new IllegalArgumentException(P + "backlogClearMinutes must be below backlogRaiseMinutes ("
                    + backlogRaiseMinutes + "): " + backlogClearMinutes);
        }
        require("completenessWindowMinutes", completenessWindowMinutes, 5, 7 * 24 * 60);
        require("completenessRaisePercent", completenessRaisePercent, 1, 99);
        require("completenessClearPercent", completenessClearPercent, 2, 100);
        if (completenessClearPercent <= completenessRaisePercent) {
            throw new IllegalArgumentException(P + "completenessClearPercent must be above completenessRaisePercent ("
                    + completenessRaisePercent + "): " + completenessClearPercent);
        }
        require("authFailureLimit", authFailureLimit, 1, 10_000);
        require("authFailureWindowMinutes", authFailureWindowMinutes, 1, WEEK_MINUTES);
        require("authFailureDistrictLimit", authFailureDistrictLimit, 1, 1_000_000);
        require("authFailureTrackedIds", authFailureTrackedIds, 1, 100_000);
        require("securityEventLimit", securityEventLimit, 1, 1_000_000);
        require("securityWindowMinutes", securityWindowMinutes, 1, WEEK_MINUTES);
        require("quietMinutes", quietMinutes, 1, WEEK_MINUTES);
    }

    private static void require(String key, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(P + key + " must be between " + min + " and " + max + ": " + value);
        }
    }
}
