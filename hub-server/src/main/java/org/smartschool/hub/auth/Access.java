package org.smartschool.hub.auth;

/** What a request does, from least to most: read data, operate (acknowledge, change the registry), administer users. */
public enum Access {
    READ,
    OPERATE,
    ADMIN
}
