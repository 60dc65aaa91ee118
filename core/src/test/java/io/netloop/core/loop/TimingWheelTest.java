package io.netloop.core.loop;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The wheel on a synthetic clock: deterministic, no sleeping. */
class TimingWheelTest {
    private static final long TICK = 100;

    @Test
    void aTimeoutFiresOnTheFirstTickAtOrAfterItsDeadlineNeverEarly() {
        TimingWheel wheel = new TimingWheel(TICK, 8, 0);
        List<Long> firedAt = new ArrayList<>();
        long[] now = {0};
        wheel.schedule(() -> firedAt.add(now[0]), 250, 0);
        for (now[0] = 0; now[0] <= 400; now[0] += 10) wheel.advance(now[0]);
        assertThat(firedAt).containsExactly(300L); // deadline 250; the next tick boundary is 300
    }

    @Test
    void aTimeoutExactlyOnATickFiresOnThatTick() {
        TimingWheel wheel = new TimingWheel(TICK, 8, 0);
        List<Long> firedAt = new ArrayList<>();
        long[] now = {0};
        wheel.schedule(() -> firedAt.add(now[0]), 200, 0);
        for (now[0] = 0; now[0] <= 400; now[0] += 10) wheel.advance(now[0]);
        assertThat(firedAt).containsExactly(200L);
    }

    @Test
    void timeoutsLongerThanOneTurnWaitTheirTurns() {
        TimingWheel wheel = new TimingWheel(TICK, 4, 0); // one turn = 400
        List<Long> firedAt = new ArrayList<>();
        long[] now = {0};
        wheel.schedule(() -> firedAt.add(now[0]), 1_050, 0);
        wheel.schedule(() -> firedAt.add(now[0]), 100, 0);
        for (now[0] = 0; now[0] <= 2_000; now[0] += 50) wheel.advance(now[0]);
        assertThat(firedAt).containsExactly(100L, 1_100L);
    }

    @Test
    void aCancelledTimeoutNeverFires() {
        TimingWheel wheel = new TimingWheel(TICK, 8, 0);
        boolean[] fired = {false};
        TimingWheel.Timeout t = wheel.schedule(() -> fired[0] = true, 100, 0);
        t.cancel();
        wheel.advance(10_000);
        assertThat(fired[0]).isFalse();
        assertThat(wheel.size()).isZero();
        assertThat(t.isCancelled()).isTrue();
    }

    @Test
    void rescheduleMovesTheDeadline() {
        TimingWheel wheel = new TimingWheel(TICK, 8, 0);
        List<Long> firedAt = new ArrayList<>();
        long[] now = {0};
        TimingWheel.Timeout t = wheel.schedule(() -> firedAt.add(now[0]), 200, 0);
        for (now[0] = 0; now[0] <= 150; now[0] += 50) wheel.advance(now[0]);
        wheel.reschedule(t, 500, now[0]); // now 200 - 50 = 150 at the last advance; new deadline 650
        for (; now[0] <= 1_000; now[0] += 50) wheel.advance(now[0]);
        assertThat(firedAt).containsExactly(700L);
        assertThat(wheel.size()).isZero();
    }

    @Test
    void manyTimeoutsInOneSlotFireTogetherAndCancelsInTheMiddleAreClean() {
        TimingWheel wheel = new TimingWheel(TICK, 8, 0);
        int[] fired = {0};
        List<TimingWheel.Timeout> all = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) all.add(wheel.schedule(() -> fired[0]++, 300, 0));
        for (int i = 0; i < 1_000; i += 2) all.get(i).cancel();
        assertThat(wheel.size()).isEqualTo(500);
        wheel.advance(300);
        assertThat(fired[0]).isEqualTo(500);
        assertThat(wheel.size()).isZero();
    }

    @Test
    void aCallbackMayCancelAnotherTimeoutDueInTheSameTick() {
        TimingWheel wheel = new TimingWheel(TICK, 8, 0);
        List<String> fired = new ArrayList<>();
        TimingWheel.Timeout[] b = new TimingWheel.Timeout[1];
        // Scheduled second, so it stands first in the slot's list and runs first.
        wheel.schedule(() -> fired.add("c"), 300, 0);
        b[0] = wheel.schedule(() -> fired.add("b"), 300, 0);
        wheel.schedule(
                () -> {
                    fired.add("a");
                    b[0].cancel();
                },
                300,
                0);
        wheel.advance(300);
        assertThat(fired).containsExactly("a", "c");
        assertThat(wheel.size()).isZero();
    }

    @Test
    void aCallbackMayRescheduleAnotherTimeoutDueInTheSameTick() {
        TimingWheel wheel = new TimingWheel(TICK, 8, 0);
        List<Long> fired = new ArrayList<>();
        long[] now = {0};
        TimingWheel.Timeout[] later = new TimingWheel.Timeout[1];
        later[0] = wheel.schedule(() -> fired.add(now[0]), 300, 0);
        wheel.schedule(() -> wheel.reschedule(later[0], 500, now[0]), 300, 0);
        for (now[0] = 0; now[0] <= 1_000; now[0] += 100) wheel.advance(now[0]);
        assertThat(fired).containsExactly(800L);
    }

    @Test
    void theNextTickIsReportedOnlyWhenSomethingWaits() {
        TimingWheel wheel = new TimingWheel(TICK, 8, 0);
        assertThat(wheel.nanosToNextTick(0)).isEqualTo(-1);
        wheel.schedule(() -> {}, 250, 0);
        assertThat(wheel.nanosToNextTick(30)).isBetween(0L, TICK);
    }
}
