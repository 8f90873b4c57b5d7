package org.smartschool.gateway.wired;

/**
 * The health of one wired device, for the gateway's health report.
 *
 * @param kind {@code scd4x}, {@code bme280}, {@code door}, {@code motion}, {@code uart}, {@code signal}
 * @param online false while the device does not answer (I2C sensors, UART ports)
 * @param samples good samples (sensors), settled changes (contacts) or lines (UART) so far
 * @param failures failed reads so far (I/O errors, data never ready, CRC mismatches)
 * @param crcErrors answers whose CRC did not match; the sample was skipped
 * @param lastSampleAt epoch millis of the last good sample, 0 before the first
 * @param lastProblem the last failure, one line, or null
 */
public record WiredStatus(String device, String kind, boolean online, long samples, long failures, long crcErrors,
                          long lastSampleAt, String lastProblem) {
}
