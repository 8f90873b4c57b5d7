/**
 * Live updates for the operations console: what the hub learns as it happens (a room's new values, an alarm's
 * change, a gateway going online or offline) published in process to the subscribers of {@link
 * org.smartschool.hub.live.LiveEvents} (the server-sent event stream). The publishers wrap the stores that learn
 * these things, so nothing else changes; a subscriber never slows a publisher (it hands work to its own thread).
 */
package org.smartschool.hub.live;
