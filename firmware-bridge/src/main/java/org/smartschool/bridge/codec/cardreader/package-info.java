/**
 * Codec {@code card-reader}: card taps at classroom and gate doors, from RFID/NFC readers (RC522,
 * PN532 and the many ESP/Arduino sketches around them) over serial or MQTT, one tap per message.
 *
 * <h2>Accepted frames</h2>
 * <ul>
 *   <li>An ISO 14443 UID of 4, 7 or 10 bytes as text: {@code 04A22B1C}, {@code 04:A2:2B:1C},
 *       {@code 04 a2 2b 1c}, {@code 04-A2-2B-1C} (ESPHome), {@code 0x04 0xA2 0x2B 0x1C} (Adafruit
 *       PN532 {@code PrintHex}), optionally after {@code UID:}, {@code Card UID:} or
 *       {@code UID Value:}. With separators a byte may have one digit ({@code Serial.print(b, HEX)}).</li>
 *   <li>A Wiegand frame as text: {@code W26:<26 '0'/'1' characters>} or {@code W34:<34 ...>}, first
 *       transmitted bit first (also {@code WIEGAND26=...}).</li>
 *   <li>JSON: {@code {"uid":"04:A2:2B:1C"}}; {@code {"wiegand":26,"bits":"1..."}}; or
 *       {@code {"wiegand":34,"value":N}} with N the whole frame, parity bits included, as an unsigned
 *       number whose most significant of 26/34 bits is the first transmitted bit.</li>
 *   <li>Tasmota's RC522 and PN532 telemetry: {@code {"Time":"...","RC522":{"UID":"BA839D07","Type":"MIFARE 1KB"}}},
 *       {@code {"PN532":{"UID":"94D8FC5F","DATA":""}}}. Tasmota's {@code Time} has no zone, so it is not used.</li>
 * </ul>
 *
 * <h2>Wiegand checks</h2>
 * 26-bit (HID H10301): even parity bit, 8-bit facility code, 16-bit card number, odd parity bit;
 * the even bit covers data bits 1-12, the odd bit data bits 13-24. 34-bit: even parity bit,
 * 16-bit facility code, 16-bit card number, odd parity bit, each parity bit over its 16-bit half.
 * A failed parity or an unsupported bit count is a problem, never a tap.
 *
 * <h2>Events</h2>
 * One {@code CARD_TAP} per frame, stamped with the gateway's receive time (readers have no clock),
 * with attributes {@code uid} (upper-case hex without separators; for Wiegand the data bits without
 * parity: 6 digits for 26-bit, 8 for 34-bit), {@code format} ({@code nfc_uid}, {@code wiegand26},
 * {@code wiegand34}), {@code uid_bytes} (NFC), {@code facility} and {@code card_number} (Wiegand),
 * and {@code reader} and {@code card_type} when Tasmota names them.
 *
 * <h2>Privacy</h2>
 * {@code uid} and {@code card_number} are personal data ({@link org.smartschool.bridge.model.PersonalData}).
 * A problem describes the frame's shape ("UID of 5 bytes", "fails its odd parity check") and never its
 * digits; JSON syntax errors give a position only, since parser messages quote the offending token.
 */
package org.smartschool.bridge.codec.cardreader;
