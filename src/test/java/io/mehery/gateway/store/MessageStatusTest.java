package io.mehery.gateway.store;

import static io.mehery.gateway.store.MessageStatus.ACCEPTED;
import static io.mehery.gateway.store.MessageStatus.DELIVERED;
import static io.mehery.gateway.store.MessageStatus.FAILED;
import static io.mehery.gateway.store.MessageStatus.READ;
import static io.mehery.gateway.store.MessageStatus.RECEIVED;
import static io.mehery.gateway.store.MessageStatus.RECORDED;
import static io.mehery.gateway.store.MessageStatus.SENT;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MessageStatusTest {

    @Test
    void anOutboundMessageOnlyMovesForward() {
        assertThat(ACCEPTED.movesTo(SENT)).isTrue();
        assertThat(SENT.movesTo(READ)).isTrue();
        assertThat(READ.movesTo(DELIVERED)).as("a late delivered receipt after read").isFalse();
        assertThat(DELIVERED.movesTo(SENT)).isFalse();
        assertThat(SENT.movesTo(SENT)).isFalse();
    }

    @Test
    void aFailureEndsAnyOutboundStatusAndNothingLeavesIt() {
        assertThat(ACCEPTED.movesTo(FAILED)).isTrue();
        assertThat(READ.movesTo(FAILED)).isTrue();
        for (MessageStatus later : MessageStatus.values()) {
            assertThat(FAILED.movesTo(later)).as(later.name()).isFalse();
        }
    }

    @Test
    void receivedAndRecordedMessagesTakeNoReceipts() {
        for (MessageStatus reached : MessageStatus.values()) {
            assertThat(RECEIVED.movesTo(reached)).isFalse();
            assertThat(RECORDED.movesTo(reached)).isFalse();
        }
    }

    @Test
    void providersWordsAreReadCaseBlind() {
        assertThat(MessageStatus.named("delivered")).contains(DELIVERED);
        assertThat(MessageStatus.named(" Read ")).contains(READ);
        assertThat(MessageStatus.named("deleted")).isEmpty();
        assertThat(MessageStatus.named(null)).isEmpty();
        assertThat(READ.json()).isEqualTo("read");
    }
}
