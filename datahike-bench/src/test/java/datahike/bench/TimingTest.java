package datahike.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TimingTest {
  private static final Timing.Plan TINY = new Timing.Plan("tiny", 1, 3, 5, 3, 2);

  @Test
  void median_oddAndEvenCounts() {
    assertThat(Timing.median(new double[] {3, 1, 2})).isEqualTo(2);
    assertThat(Timing.median(new double[] {4, 1, 3, 2})).isEqualTo(2.5);
    assertThat(Timing.median(new double[0])).isNaN();
  }

  @Test
  void percentile_nearestRank() {
    double[] xs = new double[100];
    for (int i = 0; i < 100; i++) {
      xs[i] = 100 - i;
    }
    assertThat(Timing.percentile(xs, 99)).isEqualTo(99);
    assertThat(Timing.percentile(xs, 50)).isEqualTo(50);
    assertThat(Timing.percentile(xs, 100)).isEqualTo(100);
  }

  @Test
  void write_preparesAndClosesEveryIteration() throws Exception {
    int[] prepared = {0};
    int[] closed = {0};
    Timing.Result r =
        Timing.write(
            TINY,
            () -> {
              prepared[0]++;
              return new Harness.WriteTrial() {
                @Override
                public void run() {}

                @Override
                public void close() {
                  closed[0]++;
                }
              };
            });
    assertThat(prepared[0]).isEqualTo(4);
    assertThat(closed[0]).isEqualTo(4);
    assertThat(r.samplesMs()).hasSize(3);
    assertThat(r.rows()).isEqualTo(-1);
  }

  @Test
  void query_wrongResultSize_throws() {
    assertThatThrownBy(() -> Timing.query(TINY, () -> 7, 8, "q"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("returned 7 rows, expected 8");
  }

  @Test
  void query_samplesAndRows() throws Exception {
    Timing.Result r = Timing.query(TINY, () -> 8, 8, "q");
    assertThat(r.samplesMs()).hasSize(3);
    assertThat(r.rows()).isEqualTo(8);
    assertThat(r.medianMs()).isPositive();
  }
}
