package org.smartschool.hub.store;

/** One step of an aggregated series: the step's start (UTC epoch ms) and its value. */
public record SeriesPoint(long timestamp, double value) {
}
