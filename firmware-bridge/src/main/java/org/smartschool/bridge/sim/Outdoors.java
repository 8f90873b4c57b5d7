package org.smartschool.bridge.sim;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;

/**
 * The weather around a school in southern Vietnam, as a pure function of time and the seed.
 *
 * <p>Temperature follows the tropical daily cycle (lowest about 25 Cel near 05:30, highest about
 * 33 Cel near 14:30, as in Ho Chi Minh City's climate normals), shifted up to 0.8 Cel per day.
 * PM2.5 follows the traffic of a Vietnamese city: peaks at the 07:00-08:00 and 17:00-19:00 rush
 * hours, lowest early afternoon, scaled per day between 0.6 and 1.5 (clear to hazy days).
 * Daylight rises from 06:00 to noon and sets by 18:15, scaled per day by cloud cover.
 */
final class Outdoors {
    private static final double MIN_TEMPERATURE = 25.5;
    private static final double MAX_TEMPERATURE = 32.5;
    private static final double COLDEST_HOUR = 5.5;
    private static final double HOTTEST_HOUR = 14.5;

    private final long seed;

    Outdoors(long seed) {
        this.seed = seed;
    }

    private static double hourOfDay(long epochMillis) {
        ZonedDateTime local = Instant.ofEpochMilli(epochMillis).atZone(SchoolTimetable.ZONE);
        return local.toLocalTime().toSecondOfDay() / 3600.0;
    }

    private static LocalDate day(long epochMillis) {
        return Instant.ofEpochMilli(epochMillis).atZone(SchoolTimetable.ZONE).toLocalDate();
    }

    /** Outdoor air temperature, Cel. */
    double temperature(long epochMillis) {
        double h = hourOfDay(epochMillis);
        // a half cosine up from the coldest to the hottest hour (9 h), a slower one down (15 h)
        double phase;
        if (h >= COLDEST_HOUR && h < HOTTEST_HOUR) {
            phase = (h - COLDEST_HOUR) / (HOTTEST_HOUR - COLDEST_HOUR);
        } else {
            double since = h >= HOTTEST_HOUR ? h - HOTTEST_HOUR : h + 24 - HOTTEST_HOUR;
            phase = 1 - since / (24 - (HOTTEST_HOUR - COLDEST_HOUR));
        }
        double shape = (1 - Math.cos(Math.PI * phase)) / 2;
        double dayShift = (Seeds.uniform(seed, day(epochMillis).toString(), "temperature") - 0.5) * 1.6;
        return MIN_TEMPERATURE + (MAX_TEMPERATURE - MIN_TEMPERATURE) * shape + dayShift;
    }

    /** A humid or drier day: added to relative humidity, %RH. */
    double humidityShift(long epochMillis) {
        return (Seeds.uniform(seed, day(epochMillis).toString(), "humidity") - 0.5) * 8;
    }

    /** Outdoor PM2.5, ug/m3. */
    double pm25(long epochMillis) {
        double h = hourOfDay(epochMillis);
        double base = 20 + 16 * bump(h, 7.5, 1.2) + 13 * bump(h, 18.0, 1.6) + 5 * bump(h, 1.0, 3.0);
        double dayFactor = 0.6 + Seeds.uniform(seed, day(epochMillis).toString(), "pm25") * 0.9;
        return base * dayFactor;
    }

    /** Daylight reaching a classroom's desks through its windows, lx. */
    double daylight(long epochMillis) {
        double h = hourOfDay(epochMillis);
        if (h < 6.0 || h > 18.25) {
            return 0;
        }
        double clouds = 0.5 + Seeds.uniform(seed, day(epochMillis).toString(), "clouds") * 0.5;
        return 220 * clouds * Math.sin(Math.PI * (h - 6.0) / 12.25);
    }

    private static double bump(double h, double centre, double width) {
        double d = h - centre;
        return Math.exp(-d * d / (2 * width * width));
    }
}
