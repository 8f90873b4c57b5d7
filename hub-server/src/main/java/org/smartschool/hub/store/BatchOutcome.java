package org.smartschool.hub.store;

/** What storing a batch did. Both outcomes mean the batch is durably stored and may be acknowledged. */
public enum BatchOutcome {
    /** The batch id was new. */
    STORED,
    /** The batch id had been stored before: a gateway resent it (lost PUBACK, reconnect). */
    REPLAYED
}
