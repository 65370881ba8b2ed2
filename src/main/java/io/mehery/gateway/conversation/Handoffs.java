package io.mehery.gateway.conversation;

import java.util.List;

import org.springframework.stereotype.Component;

import io.mehery.gateway.api.ApiException;
import io.mehery.gateway.api.Problem;

@Component("handoffs")
public class Handoffs {

    /** The queue refused the work: undo what was stored and tell the caller nothing was accepted. */
    public void withdraw(Handoff handoff, Exception cause) {
        handoff.withdraw().run();
        throw new ApiException(503, List.of(Problem.of("SERVICE_UNAVAILABLE", null,
                "The gateway cannot queue the request right now; nothing was accepted, retry later")));
    }
}
