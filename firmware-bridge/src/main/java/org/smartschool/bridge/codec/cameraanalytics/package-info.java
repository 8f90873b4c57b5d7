/**
 * Codec {@code camera-analytics}: people counting, line crossing, occupancy and camera status from
 * cameras with analytics (or an NVR / Frigate / a small script in front of them), one message per
 * observation. The same schema is in {@code docs/camera-analytics.md}.
 *
 * <h2>Schema</h2>
 * One JSON object (UTF-8, at most 1 MiB, nesting depth 32) with a {@code type}:
 * <pre>
 * {"type":"people_count", "count":24, "in":31, "out":7, "zone":"classroom", "time":"2024-09-05T07:05:00+07:00"}
 * {"type":"line_crossing", "direction":"in", "count":1, "line":"door", "time":"2024-09-05T07:04:12+07:00"}
 * {"type":"occupancy", "occupied":true, "count":3, "zone":"lab bench", "time":"2024-09-05T07:05:00+07:00"}
 * {"type":"status", "state":"offline", "reason":"video_loss", "time":"2024-09-05T07:05:00+07:00"}
 * </pre>
 * <table>
 *   <caption>fields</caption>
 *   <tr><th>field</th><th>types</th><th>meaning</th></tr>
 *   <tr><td>type</td><td>all, required</td><td>{@code people_count}, {@code line_crossing}, {@code occupancy}, {@code status}</td></tr>
 *   <tr><td>time</td><td>all, optional</td><td>ISO 8601 with a UTC offset; absent: the gateway's receive time</td></tr>
 *   <tr><td>count</td><td>people_count: people seen now; line_crossing: people who crossed (default 1);
 *       occupancy: people in the zone</td><td>whole number 0..10000</td></tr>
 *   <tr><td>in, out</td><td>people_count</td><td>people who entered / left since the counter's last
 *       reset (Axis {@code live-sum}: since midnight), whole numbers 0..10000</td></tr>
 *   <tr><td>direction</td><td>line_crossing, required</td><td>{@code in} or {@code out}</td></tr>
 *   <tr><td>occupied</td><td>occupancy</td><td>true/false; at least one of occupied and count; they must agree</td></tr>
 *   <tr><td>state</td><td>status, required</td><td>{@code online} or {@code offline}</td></tr>
 *   <tr><td>zone, line, reason</td><td>optional</td><td>a name: 1-64 letters, digits, spaces, '.', '_', '-'</td></tr>
 *   <tr><td>object</td><td>optional</td><td>what was counted; anything but {@code person} is ignored on purpose</td></tr>
 * </table>
 * Other fields (a camera id, a vendor's extras) are ignored: which camera sent the message is the
 * gateway's route from the topic. Also accepted, as Frigate publishes them
 * (https://docs.frigate.video/integrations/mqtt/): a bare whole number, the count of
 * {@code frigate/<camera>/person}, as a people count; the plain words {@code online} and
 * {@code offline} ({@code frigate/available}, MQTT last wills) as camera status.
 *
 * <h2>Events</h2>
 * <ul>
 *   <li>people_count -> {@code PEOPLE_COUNT} {kind=people_count, count, in, out, zone} (those present)</li>
 *   <li>line_crossing -> {@code PEOPLE_COUNT} {kind=line_crossing, in=N or out=N, line, zone}: no
 *       {@code count}, since a crossing says nothing about how many people are in the room</li>
 *   <li>occupancy -> {@code OCCUPANCY} {occupied, count, zone}</li>
 *   <li>status -> {@code DEVICE_ONLINE} / {@code DEVICE_OFFLINE} {reason}</li>
 * </ul>
 *
 * <h2>Why this shape</h2>
 * It keeps the field names the common counters use: {@code in}/{@code out} as AXIS People Counter's
 * {@code live-sum.json} ({@code {"in":12,"out":318,"timestamp":"20170503112756"}},
 * https://developer.axis.com/vapix/applications/people-counter-api), a {@code type} discriminator
 * and a count per object like Frigate's MQTT events, and an ISO 8601 time with offset like
 * Hikvision's people counting metadata ({@code "time":"2017-01-01T00:00:00+08:00"} with
 * {@code enterRegionPeopleNum}/{@code leaveRegionPeopleNum}/{@code personCount}). Mapping a vendor's
 * message onto it is a rename, not a computation.
 *
 * <h2>Problems</h2>
 * A bad field is a problem naming it ({@code $.in}, {@code $.time}); the event keeps the good
 * fields (a people_count with a bad {@code out} still reports {@code count} and {@code in}). An
 * unknown or missing {@code type}, a bad {@code direction} or {@code state}, or a contradiction
 * between {@code occupied} and {@code count} gives no event. A bad {@code time} is a problem and
 * the receive time is used.
 */
package org.smartschool.bridge.codec.cameraanalytics;
