package datahike.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import datahike.DatahikeException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class GroupCommitterTest {

  /** A flusher that numbers items like a log and takes {@code sleepMs} per flush, like a sync. */
  private static final class Numbering implements GroupCommitter.Flusher<Integer, Long> {
    final List<Integer> order = Collections.synchronizedList(new ArrayList<>());
    final List<Integer> batchSizes = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger inFlush = new AtomicInteger();
    final long sleepMs;
    long next = 1;

    Numbering(long sleepMs) {
      this.sleepMs = sleepMs;
    }

    @Override
    public List<Long> flush(List<Integer> batch) throws Exception {
      assertThat(inFlush.incrementAndGet()).as("one flush at a time").isEqualTo(1);
      try {
        Thread.sleep(sleepMs);
        List<Long> out = new ArrayList<>();
        for (Integer i : batch) {
          order.add(i);
          out.add(next++);
        }
        batchSizes.add(batch.size());
        return out;
      } finally {
        inFlush.decrementAndGet();
      }
    }
  }

  @Test
  void commit_singleThread_eachItemItsOwnFlush() {
    Numbering f = new Numbering(0);
    GroupCommitter<Integer, Long> gc = new GroupCommitter<>(f, i -> 1, 100);
    assertThat(gc.commit(7)).isEqualTo(1);
    assertThat(gc.commit(8)).isEqualTo(2);
    assertThat(gc.flushes()).isEqualTo(2);
  }

  @Test
  void commit_concurrent_sharesFlushesAndResultsMatchOrder() throws Exception {
    Numbering f = new Numbering(5);
    GroupCommitter<Integer, Long> gc = new GroupCommitter<>(f, i -> 1, 1000);
    int threads = 16;
    int per = 20;
    ExecutorService ex = Executors.newFixedThreadPool(threads);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<List<long[]>>> fs = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int tt = t;
      fs.add(
          ex.submit(
              () -> {
                go.await();
                List<long[]> got = new ArrayList<>();
                for (int i = 0; i < per; i++) {
                  int item = tt * 1000 + i;
                  got.add(new long[] {item, gc.commit(item)});
                }
                return got;
              }));
    }
    go.countDown();
    for (Future<List<long[]>> fu : fs) {
      for (long[] r : fu.get(60, TimeUnit.SECONDS)) {
        // result n is the n-th item the flusher saw
        assertThat(f.order.get((int) r[1] - 1)).isEqualTo((int) r[0]);
      }
    }
    ex.shutdown();
    assertThat(gc.items()).isEqualTo(threads * per);
    assertThat(gc.flushes()).isLessThan(threads * per / 2);
  }

  @Test
  void commit_weightLimit_splitsBatchesButNotItems() throws Exception {
    Numbering f = new Numbering(20);
    GroupCommitter<Integer, Long> gc = new GroupCommitter<>(f, i -> i, 10);
    ExecutorService ex = Executors.newFixedThreadPool(8);
    List<Future<Long>> fs = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      fs.add(ex.submit(() -> gc.commit(4)));
    }
    fs.add(ex.submit(() -> gc.commit(50))); // heavier than the limit: goes alone
    for (Future<Long> fu : fs) {
      fu.get(60, TimeUnit.SECONDS);
    }
    ex.shutdown();
    assertThat(f.batchSizes).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(2));
  }

  @Test
  void commit_flusherFails_wholeBatchFailsWithCodeThenRecovers() throws Exception {
    AtomicBoolean fail = new AtomicBoolean(true);
    CountDownLatch inFirst = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    GroupCommitter<Integer, Long> gc =
        new GroupCommitter<>(
            batch -> {
              if (batch.contains(0)) {
                inFirst.countDown();
                release.await();
              }
              if (fail.get() && !batch.contains(0)) {
                throw DatahikeException.of("store/io", "disk on fire", "path", "/dev/null");
              }
              List<Long> out = new ArrayList<>();
              batch.forEach(i -> out.add((long) i));
              return out;
            },
            i -> 1,
            100);
    ExecutorService ex = Executors.newFixedThreadPool(4);
    Future<Long> first = ex.submit(() -> gc.commit(0));
    inFirst.await();
    List<Future<Long>> queued = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      int ii = i;
      queued.add(ex.submit(() -> gc.commit(ii)));
    }
    Thread.sleep(100); // let them queue behind the first flush
    release.countDown();
    assertThat(first.get(10, TimeUnit.SECONDS)).isZero();
    for (Future<Long> q : queued) {
      assertThatThrownBy(() -> q.get(10, TimeUnit.SECONDS))
          .cause()
          .isInstanceOfSatisfying(
              DatahikeException.class,
              e -> {
                assertThat(e.code().fullName()).isEqualTo("store/io");
                assertThat(e.getMessage()).contains("disk on fire");
              });
    }
    fail.set(false);
    assertThat(gc.commit(9)).isEqualTo(9);
    ex.shutdown();
  }

  @Test
  void close_rejectsNewCommits() {
    GroupCommitter<Integer, Long> gc = new GroupCommitter<>(new Numbering(0), i -> 1, 10);
    gc.close();
    assertThatThrownBy(() -> gc.commit(1))
        .isInstanceOfSatisfying(
            DatahikeException.class,
            e -> assertThat(e.code().fullName()).isEqualTo("store/closed"));
  }
}
