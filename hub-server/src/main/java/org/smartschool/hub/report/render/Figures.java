package org.smartschool.hub.report.render;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** How the reports write their numbers: shares to 4 decimals (CSV) or as percent (PDF), durations in minutes. */
final class Figures {
    private Figures() {
    }

    /** {@code 0.8333}; empty for NaN (nothing to share). */
    static String share(double share) {
        return Double.isNaN(share) ? "" : BigDecimal.valueOf(share).setScale(4, RoundingMode.HALF_UP).stripTrailingZeros()
                .toPlainString();
    }

    /** {@code 83.3 %}; an en dash for NaN. */
    static String percent(double share) {
        return Double.isNaN(share) ? "–" : BigDecimal.valueOf(share * 100).setScale(1, RoundingMode.HALF_UP).toPlainString() + " %";
    }

    /** Whole minutes of milliseconds, or with decimals where they are not whole: {@code 90}, {@code 7.5}; empty below 0. */
    static String minutes(long millis) {
        return millis < 0 ? "" : BigDecimal.valueOf(millis).divide(BigDecimal.valueOf(60_000), 1, RoundingMode.HALF_UP)
                .stripTrailingZeros().toPlainString();
    }

    /** Hours with one decimal: {@code 12.5}. */
    static String hours(long millis) {
        return BigDecimal.valueOf(millis).divide(BigDecimal.valueOf(3_600_000), 1, RoundingMode.HALF_UP).toPlainString();
    }
}
