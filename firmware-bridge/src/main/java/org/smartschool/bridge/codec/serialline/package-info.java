/**
 * Codec {@code serial-line}: key=value frames that microcontrollers (Arduino, ESP, STM32 boards
 * with cheap sensors) print on a UART, forwarded one frame per message by the gateway's serial
 * adapter (topic = the port name).
 *
 * <h2>Frame</h2>
 * <pre>
 * frame    = ["$"] pair *(PAIRSEP pair) [PAIRSEP] ["*" checksum] [CR] [LF]
 * pair     = key KVSEP number
 * key      = 1-32 of A-Z a-z 0-9 _ . -       (matched case-insensitively)
 * number   = plain decimal, e.g. 812, 29.4, -3.5, 1.2e3 (no NaN, Infinity, hex)
 * checksum = 2 hex digits (NMEA_XOR) or 4 hex digits (CRC16_MODBUS)
 * </pre>
 * Defaults ({@link org.smartschool.bridge.codec.serialline.SerialLineOptions#defaults()}): PAIRSEP
 * {@code ;}, KVSEP {@code =}, keys CO2 (ppm), T (Cel), H (%RH), PM25, PM10 (ug/m3), LUX (lx),
 * NOISE (dBA), VOC (ppb), P (hPa), GAS (%LEL), AIRV (m/s), V, I, W, WH, BAT (%), RSSI (dBm); values
 * are in the quantity's canonical unit. Example: {@code CO2=812;T=29.4;H=71*33}.
 *
 * <h2>Checksum</h2>
 * Computed over the ASCII bytes after an optional leading {@code $} and before the {@code *}:
 * <ul>
 *   <li>{@code NMEA_XOR}: 8-bit XOR of those bytes, two hex digits, as NMEA 0183 sentences do
 *       ({@code $GPRMC,...*28}). The default, verified when present, since the smallest AVR can
 *       compute it in a few lines.</li>
 *   <li>{@code CRC16_MODBUS}: CRC-16/MODBUS (poly 0x8005 reflected, init 0xFFFF), four hex digits,
 *       written most significant digit first ({@code "123456789"} gives {@code 4B37}). Stronger:
 *       it also catches swapped characters and bursts that a XOR misses.</li>
 * </ul>
 * A wrong checksum rejects the whole frame, naming the expected and the actual checksum. With
 * {@code checksumRequired} a frame without a trailer is rejected too (truncation shows this way).
 *
 * <h2>Problems</h2>
 * Field paths: {@code $} the whole frame, {@code $.checksum} the trailer, {@code $[i]} the i-th pair
 * (from 0) when it has no usable key, {@code $.KEY} a pair's value. A bad pair never stops the other
 * pairs from being decoded; a value outside the quantity's {@link org.smartschool.bridge.codec.PlausibleRanges
 * plausible range} is dropped with a problem; an unknown key is a problem unless listed in {@code ignoredKeys}; two
 * values for one quantity in one frame drop both. Frames carry no time: readings are stamped with
 * the gateway's receive time.
 */
package org.smartschool.bridge.codec.serialline;
