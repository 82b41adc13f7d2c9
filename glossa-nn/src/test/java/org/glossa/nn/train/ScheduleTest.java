package org.glossa.nn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Each schedule at a few steps against values worked out by hand from the published formulas (HF's
 * {@code get_*_schedule_with_warmup} lambdas times the base rate; the Transformer paper's §5.3 formula),
 * the decimals evaluated with Python's math module.
 */
@Tag("unit")
class ScheduleTest {
    private static final double EPS = 1e-15;

    @Test
    void constantNeverMoves() {
        Schedule schedule = new Schedule.Constant(3e-4);
        assertEquals(3e-4, schedule.lr(0), EPS);
        assertEquals(3e-4, schedule.lr(1_000_000), EPS);
    }

    @Test
    void warmupLinearRisesFromZeroThenFallsToZeroAtTheTotal() {
        // peak 1e-3, warmup 10, total 110: lr = 1e-3·s/10 for s < 10, then 1e-3·(110 − s)/100, floored at 0.
        Schedule schedule = new Schedule.WarmupLinear(1e-3, 10, 110);
        assertEquals(0.0, schedule.lr(0), EPS);          // HF: the first update of a warmup has rate 0
        assertEquals(1e-4, schedule.lr(1), EPS);
        assertEquals(5e-4, schedule.lr(5), EPS);
        assertEquals(1e-3, schedule.lr(10), EPS);
        assertEquals(9e-4, schedule.lr(20), EPS);         // (110 − 20)/100
        assertEquals(5e-4, schedule.lr(60), EPS);
        assertEquals(1e-5, schedule.lr(109), EPS);
        assertEquals(0.0, schedule.lr(110), EPS);
        assertEquals(0.0, schedule.lr(500), EPS);         // never negative
    }

    @Test
    void warmupCosineFollowsHalfACosine() {
        Schedule schedule = new Schedule.WarmupCosine(1e-3, 10, 110);
        assertEquals(0.0, schedule.lr(0), EPS);
        assertEquals(5e-4, schedule.lr(5), EPS);
        assertEquals(1e-3, schedule.lr(10), EPS);
        assertEquals(8.535533905932737e-4, schedule.lr(35), 1e-15); // progress 1/4: ½(1 + cos π/4)
        assertEquals(5e-4, schedule.lr(60), 1e-15);                  // progress 1/2
        assertEquals(2.4471741852423235e-5, schedule.lr(100), 1e-15); // progress 0.9
        assertEquals(0.0, schedule.lr(110), 1e-18);
        assertEquals(0.0, schedule.lr(300), EPS);
    }

    @Test
    void constantWithWarmup() {
        Schedule schedule = new Schedule.WarmupConstant(2e-3, 4);
        assertEquals(0.0, schedule.lr(0), EPS);
        assertEquals(1e-3, schedule.lr(2), EPS);
        assertEquals(2e-3, schedule.lr(4), EPS);
        assertEquals(2e-3, schedule.lr(10_000), EPS);
    }

    @Test
    void noamIsTheTransformersInverseSquareRoot() {
        // d_model 512, warmup 4000 (the paper's base model): 512^-0.5 · min(s^-0.5, s · 4000^-1.5).
        Schedule schedule = new Schedule.Noam(512, 4000, 1.0);
        assertEquals(1.746928107421711e-7, schedule.lr(1), 1e-20);
        assertEquals(schedule.lr(1), schedule.lr(0), 0.0);            // step 0 counts as 1
        assertEquals(3.493856214843422e-4, schedule.lr(2000), 1e-18); // still warming up: linear
        assertEquals(6.987712429686843e-4, schedule.lr(4000), 1e-18); // the peak
        assertEquals(3.4938562148434214e-4, schedule.lr(16000), 1e-18); // 1/√s: a quarter of the steps' root, half the rate
        assertEquals(2 * 6.987712429686843e-4, new Schedule.Noam(512, 4000, 2.0).lr(4000), 1e-18);
    }

    @Test
    void settingsAreRecordedAsJsonWithATypeAndReadBack() throws Exception {
        JsonNode json = Json.MAPPER.valueToTree(new Schedule.WarmupLinear(1e-3, 10, 110));
        assertEquals("linear", json.get("type").asText());
        assertEquals(1e-3, json.get("peak").asDouble());
        assertEquals(10, json.get("warmupSteps").asLong());
        Schedule back = Json.MAPPER.treeToValue(json, Schedule.class);
        assertEquals(new Schedule.WarmupLinear(1e-3, 10, 110), back);
        assertEquals("inverse_sqrt", Json.MAPPER.valueToTree(new Schedule.Noam(512, 4000, 1)).get("type").asText());
    }

    @Test
    void badSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Schedule.WarmupLinear(1e-3, 20, 10));
        assertThrows(IllegalArgumentException.class, () -> new Schedule.Constant(-1));
        assertThrows(IllegalArgumentException.class, () -> new Schedule.Constant(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> new Schedule.Noam(512, 0, 1));
    }
}
