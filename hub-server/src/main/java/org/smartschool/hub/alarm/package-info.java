/**
 * Alarms at the hub: their lifecycle (raised, acknowledged, cleared; severity changes;
 * escalation) as plain functions, independent of storage and HTTP (issue 8).
 */
package org.smartschool.hub.alarm;
