package org.smartschool.hub.report;

import java.util.List;
import java.util.Set;

/** What the hub knows of its schools, as a report needs it. Blocking (state database, store). */
public interface ReportSchools {

    /** Every school the hub knows, by id. */
    List<String> schools();

    /** Whether the hub knows the school (registry, configuration, or data from it). */
    boolean knows(String school);

    /** How people call the school; its id when nobody named it. */
    String name(String school);

    /** The gateways the hub knows of the school (configured, registered or heard from). */
    Set<String> gateways(String school);
}
