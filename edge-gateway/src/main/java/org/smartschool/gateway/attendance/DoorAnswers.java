package org.smartschool.gateway.attendance;

import java.util.List;

/** Where an intake finds the answers for the taps of the append it just made. */
public interface DoorAnswers {
    DoorAnswers NONE = () -> List.of();

    /**
     * The answers to the taps of the calling thread's last committed append (and forgets them); empty
     * when it had none or attendance is off.
     */
    List<DoorAnswer> takeAnswers();
}
