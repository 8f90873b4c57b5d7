/**
 * What the hub sends each gateway as its desired configuration (docs/protocol.md 3.2): the
 * {@code desiredConfig} of the gateway's entry in hub.yaml, with {@code rules.roomKinds} of the
 * gateway's school added from the registry ({@link org.smartschool.hub.desired.DesiredConfigAssembly}),
 * and a new version whenever a room's kind changes ({@link org.smartschool.hub.desired.DesiredConfigs}).
 */
package org.smartschool.hub.desired;
