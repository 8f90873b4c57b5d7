/**
 * The one vocabulary every codec shares for "which quantity is this value, in which unit": the unit table
 * ({@link org.smartschool.bridge.codec.quantity.UnitConversions}), the two ways a sensor's own name for a
 * value is read, and what an on/off value means ({@link org.smartschool.bridge.codec.quantity.BinaryKind}).
 *
 * <ul>
 *   <li>{@link org.smartschool.bridge.codec.quantity.NameAliases}: a fixed alias list applied to the last
 *       segment of a path-like name ({@code urn:dev:ow:10e2:co2}, {@code Sensors/PM2.5}); for SenML, LwM2M
 *       and Sparkplug, whose names devices make up.</li>
 *   <li>{@link org.smartschool.bridge.codec.quantity.NameRules}: ordered glob patterns a school can extend in
 *       its configuration ({@code *co2*}, {@code *power_factor*: ignore}), each naming the unit the firmware
 *       publishes in; for ESPHome object ids and Homie properties, which carry a name and nothing else.</li>
 * </ul>
 */
package org.smartschool.bridge.codec.quantity;
